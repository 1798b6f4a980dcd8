"""Every diagnostic code, declared once: severity, what it means, an example and the fix.

The README's code table is generated from this registry (`python -m trialoog.cli.docs`), and a
test fails when the two drift apart. An unknown code fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialoog.diagnostics import Diagnostic, Position, Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    example: str
    fix: str


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title: str, example: str, fix: str) -> str:
    RULES[code] = Rule(code, severity, title, example, fix)
    return code


# Front matter: reading the file and its YAML.
EMPTY_FILE = rule("FM001", ERROR, "leeg bestand", "een leeg `reflectie.md`", "schrijf front matter tussen `---`-regels en een tekst")
NO_FRONT_MATTER = rule("FM002", ERROR, "geen front matter", "een bestand dat met `# Titel` begint", "begin het bestand met `---`, de sleutels (`type`, `title`, …) en weer `---`")
UNCLOSED_FRONT_MATTER = rule("FM003", ERROR, "front matter niet afgesloten", "`---` bovenaan maar geen tweede `---`", "zet een regel `---` onder de laatste sleutel")
NOT_UTF8 = rule("FM004", ERROR, "geen UTF-8", "een bestand bewaard als Windows-1252", "bewaar het bestand als UTF-8 (in Word/Kladblok: Opslaan als → codering UTF-8)")
TOO_LARGE = rule("FM005", ERROR, "bestand te groot", "een Markdown-bestand van 3 MB", "splits de tekst of zet grote stukken in een bijlage; de grens staat in `limits.markdown_bytes`")
TABS = rule("FM006", ERROR, "tab als inspringing", "`\\tcity: Gent` onder `school:`", "spring in met spaties, niet met tabs")
YAML_SYNTAX = rule("FM007", ERROR, "ongeldige YAML", "`title: Mijn: eerste dag`", "kijk op de aangeduide regel; zet een waarde met `:` of `#` tussen aanhalingstekens")
ALIAS = rule("FM008", ERROR, "YAML-anker of alias", "`competences: &c [FG1]` en later `*c`", "schrijf de waarde voluit; ankers en aliassen worden geweigerd (ze maken alias-bommen mogelijk)")
DUPLICATE_KEY = rule("FM009", ERROR, "dubbele sleutel", "twee keer `title:`", "houd één van de twee over")
UNSAFE_TAG = rule("FM010", ERROR, "YAML-tag die objecten bouwt", "`title: !!python/object/apply:os.system [ls]`", "verwijder de tag; Trialoog voert nooit tags uit")
BAD_DATE = rule("FM011", ERROR, "datum bestaat niet", "`date: 2017-02-30`", "kies een bestaande datum (JJJJ-MM-DD)")
YAML11_BOOL = rule("FM012", WARNING, "ja/nee wordt waar/onwaar", "`status: no` wordt `false`", "zet de waarde tussen aanhalingstekens (`\"no\"`) of schrijf `true`/`false`")
NOT_A_MAPPING = rule("FM013", ERROR, "front matter is geen lijst van sleutels", "`---\\n- een\\n- twee\\n---`", "schrijf `sleutel: waarde`-regels")
CURLY_QUOTES = rule("FM014", WARNING, "gekrulde aanhalingstekens", "`title: “Mijn eerste dag”`", "gebruik rechte aanhalingstekens `\"` (Word zet ze om; schakel AutoCorrectie uit)")
UNREADABLE = rule("FM015", ERROR, "bestand niet leesbaar", "een symbolische link naar een bestand dat niet bestaat", "herstel de link of het bestand, of verwijder het")

# Schema: the keys and values of each entry type.
UNKNOWN_TYPE = rule("SC001", ERROR, "onbekend type", "`type: reflexie`", "kies een van: profile, reflection, goal, task, evidence, meeting, evaluation, feedback, rationale")
MISSING_KEY = rule("SC002", ERROR, "verplichte sleutel ontbreekt", "een reflectie zonder `date`", "voeg de sleutel toe")
UNKNOWN_KEY = rule("SC003", ERROR, "onbekende sleutel", "`competenties: [FG1]`", "gebruik de voorgestelde Engelse sleutel (`competences`)")
WRONG_VALUE = rule("SC004", ERROR, "verkeerd soort waarde", "`wellbeing: goed`", "schrijf de waarde zoals de formaatbeschrijving in de README zegt")
NOT_ALLOWED = rule("SC005", ERROR, "waarde niet toegelaten", "`status: klaar` bij een leerdoel", "kies een van de genoemde waarden")
OUT_OF_RANGE = rule("SC006", ERROR, "waarde buiten bereik", "`wellbeing: 7`", "welbevinden is een getal van 1 tot 5")
UNKNOWN_LEVEL = rule("SC007", ERROR, "onbekend niveau", "`self: goed` in `ratings`", "gebruik een niveau van de schaal van het competentiekader (zie `trialoog framework show`)")
NO_PROFILE = rule("SC008", ERROR, "geen profiel", "een studentenmap zonder `index.md`", "maak `index.md` met `type: profile` (`trialoog new student`)")

# References: codes and ids that must exist.
UNKNOWN_COMPETENCE = rule("RF001", ERROR, "onbekende competentie", "`competences: [FG11]`", "gebruik een code uit het kader (`trialoog framework show`)")
UNKNOWN_GOAL = rule("RF002", ERROR, "onbekend leerdoel", "`goals: [leerdoelen/klasmanagment]`", "verwijs naar het pad van het leerdoel zonder `.md`")
UNKNOWN_EVIDENCE = rule("RF003", ERROR, "onbekend bewijs", "`evidence: [bewijzen/les-breuken]`", "verwijs naar een bestaand item (pad zonder `.md`) of een bestaand bestand")
UNKNOWN_TARGET = rule("RF004", ERROR, "feedback op onbekend item", "`on: reflecties/2017-09-08-eerste-weeek`", "verwijs naar het pad van het item zonder `.md`")
UNKNOWN_PERSON = rule("RF005", ERROR, "onbekende persoon", "`by: mentor-an`", "gebruik een id uit `people` in portfolio.yml")
WRONG_KIND = rule("RF006", ERROR, "verwijzing naar verkeerd soort item", "`goals: [reflecties/2017-09-08-eerste-week]`", "verwijs in `goals` naar leerdoelen")
# Onderbouwingen and answers to feedback (issue 10).
DUPLICATE_RATIONALE = rule("RF010", ERROR, "twee onderbouwingen voor één competentie", "`competence: FG4` in twee bestanden van `onderbouwingen/`", "voeg de twee teksten samen in één onderbouwing per competentie (de site toont er één bovenaan de competentie)")
UNKNOWN_ANSWERED = rule("RF011", ERROR, "antwoord op onbekende feedback", "`answers: [feedback/2017-10-16-pizzas]` zonder dat bestand", "verwijs naar het id van een feedback van dezelfde student (het pad zonder `.md`)")
ANSWER_BEFORE_FEEDBACK = rule("RF012", WARNING, "antwoord ouder dan de feedback", "`date: 2017-10-10` met `answers:` naar feedback van 16 oktober", "verbeter de datum van het antwoord of verwijs naar de juiste feedback")

# Files: attachments and links.
MISSING_FILE = rule("AT001", ERROR, "bijlage ontbreekt", "`attachments: [foto.jpg]` zonder foto.jpg", "voeg het bestand toe of verbeter de naam")
ESCAPING_PATH = rule("AT002", ERROR, "pad buiten de studentenmap", "`attachments: [../andere-student/foto.jpg]`", "zet het bestand in je eigen map; `..`, absolute paden en symbolische links naar buiten worden geweigerd")
CASE_MISMATCH = rule("AT003", ERROR, "hoofdletters verschillen", "`Foto.JPG` gelinkt als `foto.jpg`", "schrijf de naam precies zoals het bestand heet (Linux maakt verschil)")
BROKEN_LINK = rule("AT004", ERROR, "interne link werkt niet", "`[les](../bewijzen/les.md)` zonder dat bestand", "verbeter het pad, relatief aan het bestand zelf")
LARGE_ATTACHMENT = rule("AT005", WARNING, "bijlage te groot", "een foto van 40 MB", "verklein de foto (bv. 2000 px breed); de grens staat in `limits.attachment_bytes`")
UNCLEANABLE_IMAGE = rule("AT006", WARNING, "afbeelding niet te lezen of te schonen", "een half geüploade foto `klas.jpg`, of een png van 50000 × 50000 pixels", "open de afbeelding en bewaar ze opnieuw als jpg of png (hoogstens 2400 pixels breed is genoeg); de site laat ze weg en toont de beschrijving (alt-tekst), want ze kan niet zonder metadata (GPS, eigenaar) gepubliceerd worden")
PHOTO_NOT_SHOWN = rule("AT010", WARNING, "profielfoto niet te tonen", "`photo: cv.pdf` of een foto die ontbreekt, in index.md", "kies een jpg of png in je eigen map, bv. `photo: foto.jpg`; zet er alleen een foto van jezelf, met je toestemming")
METADATA_KEPT = rule("AT007", WARNING, "metadata van video, audio of document wordt meegepubliceerd", "`attachments: [les.mp4]`: de video bevat de GPS-positie van de school", "verwijder de metadata (video en audio: `ffmpeg -i les.mp4 -map_metadata -1 -c copy les-zonder.mp4`; Word, Excel, PowerPoint: Bestand → Info → Controleren op problemen → Document inspecteren; pdf of zip: `exiftool -all= les.pdf` of opnieuw exporteren zonder auteur) of laat de bijlage weg")

# The cohort as a whole.
OUTSIDE_YEAR = rule("CO001", WARNING, "datum buiten het academiejaar", "`date: 2016-09-01` in 2017-2018", "verbeter de datum")
FOLDER_NAME = rule("CO002", ERROR, "mapnaam ongeldig", "`Amina El Khatib/` of `assets/`", "hernoem de map naar kleine letters, cijfers en koppeltekens (`amina-el-khatib`); `assets`, `search` en `overzicht` zijn voorbehouden voor het overzicht")
DUPLICATE_ID = rule("CO003", ERROR, "dubbel id", "`reflecties/Eerste.md` en `reflecties/eerste.md`", "hernoem een van de twee bestanden")
DUPLICATE_TITLE = rule("CO004", WARNING, "dubbele titel", "twee reflecties met titel `Week 3`", "geef elk item een eigen titel")
LINKED_FOLDER = rule("CO005", ERROR, "studentenmap is een link naar buiten de repository", "`amina-el-khatib -> /home/amina/portfolio` of `ln -s /usr usr`", "zet de studentenmap in de repository (een eigen repository per student: als submodule, gekoppeld met `trialoog gather`); een link mag alleen naar een map in de repository wijzen")
RESERVED_NAME = rule("CO006", ERROR, "voorbehouden bestandsnaam", "`404.md` bovenaan in de studentenmap", "hernoem het bestand (bv. `niet-gevonden.md`): de site gebruikt die naam zelf")
CONTROL_CHARACTER = rule("CO007", ERROR, "stuurteken in titel, naam of bestandsnaam", "`title: \"Week 1\\r\"` (een verborgen regeleinde uit een kopie)", "typ de titel, de naam of de bestandsnaam opnieuw, zonder regeleinden, tabs of andere onzichtbare tekens")
CONFIG = rule("CF001", ERROR, "portfolio.yml ongeldig", "`academic_year` ontbreekt", "verbeter portfolio.yml (zie de formaatbeschrijving)")
MILESTONE_CODE = rule("CF002", ERROR, "mijlpaal vraagt een competentie die niet in het kader staat", "`competences: [FG1, FG3]` bij een mijlpaal, met een kader zonder FG-codes", "gebruik codes van het kader van `framework:` (`trialoog framework show`); na een wissel van kader toont `trialoog framework diff` met het vorige en het nieuwe kader wat verdween")
DUPLICATE_MILESTONE = rule("CF003", ERROR, "dubbele mijlpaal-id", "twee mijlpalen met `id: tussentijds`", "geef elke mijlpaal een eigen id (een profiel verwijst ernaar met `milestones`)")
DUE_OUTSIDE_YEAR = rule("CF004", ERROR, "deadline buiten het academiejaar", "`due: 2019-01-26` in het academiejaar 2017-2018", "kies een datum tussen `academic_year.start` en `academic_year.end`")
REVERSED_YEAR = rule("CF005", ERROR, "academiejaar eindigt vóór het begint", "`start: 2018-06-30` en `end: 2017-08-28`", "zet de eerste dag bij `start` en de laatste bij `end`")
MAPPING_CODE = rule("CF006", ERROR, "mappingbestand verwijst naar een code die niet bestaat", "`FG1: [N1]` terwijl het nieuwe kader geen N1 heeft", "verbeter de code in het mappingbestand van `framework_mapping` (`trialoog framework diff` met het vorige en het nieuwe kader toont de codes)")
REPEALED_FRAMEWORK = rule("CF007", WARNING, "opgeheven kader voor een cohorte van nu", "`framework: basiscompetenties-2007` in het academiejaar 2026-2027", "zet `framework:` op het eigen kaderbestand van de opleiding met de basiscompetenties van 2018 (zie de README, \"Een eigen kader\")")

# Completeness.
MILESTONE = rule("MS001", WARNING, "mijlpaal niet gehaald", "3 van de 10 reflecties vóór 26 januari 2018", "vul het portfolio aan of spreek een eigen tempo af in je profiel (`milestones`)")
CHANGED_AFTER_SIGNOFF = rule("SG001", ERROR, "gewijzigd na ondertekening", "een score in een evaluatie aangepast nadat de mentor `trialoog signoff` deed", "laat opnieuw ondertekenen (`trialoog signoff BESTAND --by PERSOON`) of maak de wijziging ongedaan")
FOREIGN_SIGNOFF = rule("SG002", ERROR, "handtekening toegevoegd door iemand anders", "de student voegt `- by: mentor-an-peeters` toe onder `signoff` en commit het zelf", "haal de ondertekening weg; de mentor of coach ondertekent zelf, door de pull request goed te keuren (de workflow noteert het) of met `trialoog signoff` als zichzelf")

# Privacy and untrusted content.
NO_CONSENT = rule("PV001", ERROR, "leerlingen zichtbaar zonder toestemming", "`pupils_visible: true` zonder `consent: true`", "vraag toestemming (ouders) en zet `consent: true`, of laat de leerlingen uit beeld")
PERSONAL_DATA = rule("PV002", WARNING, "e-mailadres of telefoonnummer in de tekst", "`mail naar juf.an@school.be`", "haal persoonsgegevens uit de tekst")
UNSAFE_HTML = rule("HT001", WARNING, "onveilige HTML", "`<script>` of `onclick=` in de tekst", "schrijf Markdown; scripts, iframes en `javascript:`-links worden verwijderd bij het bouwen")
HIDDEN_PROFILE = rule("PV003", ERROR, "profiel privé of concept", "`private: true` of `draft: true` in `index.md`", "haal `private`/`draft` uit het profiel: het profiel is de startpagina en wordt altijd gepubliceerd; wie het hele portfolio mag zien, regelt de (privé-)repository op GitHub of GitLab")


def make(code: str, path: str, pos: Position, message: str, student: str | None = None) -> Diagnostic:
    """A Diagnostic for a registered code, with the code's default severity."""
    found = RULES[code]
    return Diagnostic(path, pos.line, pos.column, code, message, found.severity, student)
