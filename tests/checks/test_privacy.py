"""Pupils' privacy: no photo metadata on the site, private entries only for the evaluation team,
consent for visible pupils, and a warning for e-mail addresses and phone numbers."""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from trialoog.site.images import copy_attachment

from browser.conftest import build_cohort
from conftest import STUDENT, Cohort

OWNER = "Juf An Peeters"
CAMERA = "Trialoog-Testcamera X100"
GPS = {1: "N", 2: (51.0, 3.0, 12.5), 3: "E", 4: (3.0, 43.0, 7.25)}  # a school in Gent


def jpeg_with_exif() -> bytes:
    """A photo as a phone takes it: GPS position, camera make and model, owner and artist."""
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Trialoog"  # Make
    exif[0x0110] = CAMERA  # Model
    exif[0x013B] = OWNER  # Artist
    exif[0x8298] = f"(c) {OWNER}"  # Copyright
    exif[0x0132] = "2017:10:19 10:12:00"  # DateTime
    exif[0x8825] = GPS  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    data = buffer.getvalue()
    assert OWNER.encode() in data and CAMERA.encode() in data
    return data


def png_with_metadata() -> bytes:
    image = Image.new("RGB", (40, 30), (20, 120, 200))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", OWNER)
    info.add_text("Comment", f"GPS 51.0503 3.7303 {CAMERA}")
    exif = Image.Exif()
    exif[0x013B] = OWNER
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, exif=exif.tobytes())
    data = buffer.getvalue()
    assert OWNER.encode() in data
    return data


def assert_no_metadata(path: Path) -> None:
    data = path.read_bytes()
    for leak in (OWNER.encode(), CAMERA.encode(), b"Exif\x00\x00", b"GPS", b"http://ns.adobe.com/xap"):
        assert leak not in data, f"{path.name} bevat nog {leak!r}"
    with Image.open(path) as image:
        assert dict(image.getexif()) == {}, f"{path.name} heeft nog EXIF"
        assert not {"exif", "xmp", "comment", "Author", "Comment"} & set(image.info), image.info


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- EXIF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, make", [("foto.jpg", jpeg_with_exif), ("schets.png", png_with_metadata)])
def test_copy_attachment_removes_metadata_and_leaves_the_original(tmp_path, name, make):
    original = tmp_path / "repo" / name
    original.parent.mkdir()
    original.write_bytes(make())
    before = sha256(original)
    copy = tmp_path / "site" / name
    copy_attachment(original, copy)
    assert_no_metadata(copy)
    assert sha256(original) == before
    with Image.open(original) as a, Image.open(copy) as b:
        assert a.size == b.size


def test_copy_attachment_keeps_the_orientation_the_camera_asked_for(tmp_path):
    image = Image.new("RGB", (60, 20), (255, 255, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    original = tmp_path / "staand.jpg"
    image.save(original, "JPEG", exif=exif.tobytes())
    copy_attachment(original, tmp_path / "site" / "staand.jpg")
    with Image.open(tmp_path / "site" / "staand.jpg") as copied:
        assert copied.size == (20, 60) and dict(copied.getexif()) == {}


def test_a_file_that_only_looks_like_an_image_is_left_out(tmp_path):
    """It could be an image Pillow cannot clean: copying it unchanged could publish its metadata."""
    original = tmp_path / "kapot.jpg"
    original.write_bytes(b"geen jpeg")
    assert copy_attachment(original, tmp_path / "site" / "kapot.jpg") is False
    assert not (tmp_path / "site" / "kapot.jpg").exists()


def test_the_built_site_has_photos_without_exif_and_the_original_is_untouched(cohort, tmp_path):
    photo = cohort.write(f"{STUDENT}/bewijzen/foto-klas.jpg", jpeg_with_exif())
    sketch = cohort.write(f"{STUDENT}/bewijzen/schets.png", png_with_metadata())
    inline = cohort.write(f"{STUDENT}/reflecties/bord.jpg", jpeg_with_exif())
    originals = {path: sha256(path) for path in (photo, sketch, inline)}
    cohort.entry(
        "bewijzen/foto-klas.md",
        """\
        type: evidence
        title: "Foto van het bord"
        date: 2017-10-19
        competences: [FG1]
        attachments: [foto-klas.jpg, schets.png]
        pupils_visible: false
        """,
        "![Het bord na de les](foto-klas.jpg)\n",
    )
    cohort.entry("reflecties/bord.md", 'type: reflection\ntitle: "Het bord"\ndate: 2017-10-20', "![Bord](bord.jpg)\n")
    out = tmp_path / "site"
    build_cohort(cohort.root, out)
    copies = [path for path in (out / STUDENT).rglob("*") if path.suffix in (".jpg", ".png") and path.stem in ("foto-klas", "schets", "bord")]
    assert {path.name for path in copies} == {"foto-klas.jpg", "schets.png", "bord.jpg"}, copies
    for copy in copies:
        assert_no_metadata(copy)
    for path, digest in originals.items():
        assert sha256(path) == digest, f"{path} is veranderd: het origineel in de repository blijft onaangeroerd"


# -- private entries -----------------------------------------------------------------------------

PRIVATE_TITLE = "Twijfels over mijn stage Vertrouwelijkheidsproef"
PRIVATE_WORD = "zwaluwstaartvertrouwen"
FEEDBACK_WORD = "mentorantwoordgeheim"
REPLY_WORD = "antwoordopantwoordgeheim"  # feedback on the feedback on the private entry
DRAFT_FEEDBACK_WORD = "conceptfeedbackgeheim"  # feedback on a draft
CIRCLE_WORD = "kringfeedbackgeheim"  # feedback on feedback on itself: reaches no entry at all


@pytest.fixture(scope="module")
def private_cohort(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A cohort with one private reflection and feedback on it; built for students and for evaluation."""
    cohort = Cohort(tmp_path_factory.mktemp("prive") / "cohorte")
    cohort.entry(
        "reflecties/twijfels.md",
        f"""\
        type: reflection
        title: "{PRIVATE_TITLE}"
        date: 2017-12-08
        competences: [BH3, FG1]
        tags: [welbevinden]
        wellbeing: 2
        private: true
        """,
        f"Alleen voor mijn mentor, mijn coach en het evaluatieteam: {PRIVATE_WORD}.\n",
    )
    cohort.entry(
        "feedback/twijfels.md",
        """\
        type: feedback
        title: "Antwoord op je twijfels"
        date: 2017-12-11
        on: reflecties/twijfels
        by: mentor-an
        """,
        f"Goed dat je dit schrijft. {FEEDBACK_WORD}\n",
    )
    feedback = 'type: feedback\ntitle: "{title}"\ndate: 2017-12-12\non: {on}\nby: coach-koen'
    cohort.entry("feedback/reactie.md", feedback.format(title="Reactie op het antwoord", on="feedback/twijfels"), f"{REPLY_WORD}\n")
    cohort.entry("reflecties/concept.md", 'type: reflection\ntitle: "Nog niet af"\ndate: 2017-12-01\ndraft: true', "Half.\n")
    cohort.entry("feedback/concept.md", feedback.format(title="Over je concept", on="reflecties/concept"), f"{DRAFT_FEEDBACK_WORD}\n")
    cohort.entry("feedback/kring-a.md", feedback.format(title="Kring A", on="feedback/kring-b"), f"{CIRCLE_WORD}\n")
    cohort.entry("feedback/kring-b.md", feedback.format(title="Kring B", on="feedback/kring-a"), f"{CIRCLE_WORD}\n")
    assert [d for d in cohort.check().diagnostics if d.is_error] == []
    base = cohort.root.parent
    student, evaluation = base / "site-student", base / "site-evaluatie"
    build_cohort(cohort.root, student)
    build_cohort(cohort.root, evaluation, "--audience", "evaluation")
    return cohort.root, student, evaluation


def files_mentioning(out: Path, *words: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            if path.suffix == ".gz":  # sitemap.xml.gz
                content = gzip.decompress(content)
            text = content.decode("utf-8", errors="replace")
            hits = [word for word in words if word in text]
            if hits:
                found[path.relative_to(out).as_posix()] = hits
    return found


def test_a_private_entry_is_nowhere_in_the_student_build(private_cohort):
    """Not in its page, the lists and matrix, the search index, the print page nor the sitemap."""
    _, student, _ = private_cohort
    assert (student / STUDENT / "index.html").is_file()
    leaks = files_mentioning(student, PRIVATE_TITLE, PRIVATE_WORD, "reflecties/twijfels")
    assert leaks == {}, f"een privé-item lekt in de studentenbuild: {leaks}"


def test_feedback_on_a_private_entry_is_private_too(private_cohort):
    _, student, _ = private_cohort
    assert files_mentioning(student, FEEDBACK_WORD) == {}


def test_privacy_is_transitive_feedback_on_that_feedback_is_private_too(private_cohort):
    """Feedback page, tijdlijn, driegesprek, afdrukken, search index: the reply is in none of them."""
    _, student, evaluation = private_cohort
    assert files_mentioning(student, REPLY_WORD) == {}
    shown = files_mentioning(evaluation, REPLY_WORD)
    assert any(page.endswith("feedback/reactie.html") for page in shown), shown


def test_feedback_on_a_draft_is_published_to_no_one(private_cohort):
    _, student, evaluation = private_cohort
    assert files_mentioning(student, DRAFT_FEEDBACK_WORD) == {}
    assert files_mentioning(evaluation, DRAFT_FEEDBACK_WORD) == {}


def test_feedback_in_a_circle_is_hidden_and_does_not_hang(private_cohort):
    _, student, evaluation = private_cohort
    assert files_mentioning(student, CIRCLE_WORD) == {} and files_mentioning(evaluation, CIRCLE_WORD) == {}


def test_a_private_or_draft_profile_is_refused(cohort):
    """The profile is the home page; keeping a portfolio from readers is the forge's job."""
    profile = cohort.path(f"{STUDENT}/index.md").read_text(encoding="utf-8")
    cohort.write(f"{STUDENT}/index.md", profile.replace("coach: coach-koen\n", "coach: coach-koen\nprivate: true\ndraft: true\n"))
    found = [(line, code) for path, line, code in cohort.diagnostics() if code == "PV003"]
    assert found == [(8, "PV003"), (9, "PV003")], cohort.diagnostics()
    messages = [d.message for d in cohort.check().diagnostics if d.code == "PV003"]
    assert all("profiel" in message and "startpagina" in message for message in messages)


def test_a_private_entry_is_in_the_evaluation_build_everywhere(private_cohort):
    _, _, evaluation = private_cohort
    found = files_mentioning(evaluation, PRIVATE_WORD)
    assert any(name.startswith(f"{STUDENT}/") and name.endswith(".html") for name in found), found
    assert any(name.endswith("search_index.json") for name in found), f"niet doorzoekbaar in de evaluatiebuild: {found}"
    assert len([name for name in found if name.endswith(".html")]) >= 2, f"ook op de afdrukpagina: {found}"
    assert files_mentioning(evaluation, FEEDBACK_WORD), "de feedback op het privé-item hoort in de evaluatiebuild"


def test_the_example_cohorts_private_reflection_is_left_out(tmp_path):
    """portfolios/amina-el-khatib/reflecties/2017-12-08-twijfels.md has `private: true`."""
    pytest.importorskip("trialoog.site.build")
    from browser.conftest import EXAMPLE

    out = tmp_path / "site"
    build_cohort(EXAMPLE, out, "--student", "amina-el-khatib")
    assert files_mentioning(out, "Twijfels in december", "2017-12-08-twijfels") == {}


# -- consent and personal data -------------------------------------------------------------------


def test_visible_pupils_without_consent_is_an_error(cohort):
    cohort.entry(
        "bewijzen/klasfoto.md",
        """\
        type: evidence
        title: "Klasfoto"
        date: 2017-10-19
        competences: [FG1]
        pupils_visible: true
        """,
    )
    found = [d for d in cohort.check().diagnostics if d.code == "PV001"]
    assert [(Path(d.path).name, d.line, d.is_error) for d in found] == [("klasfoto.md", 6, True)]


def test_visible_pupils_with_consent_is_fine(cohort):
    cohort.entry(
        "bewijzen/klasfoto.md",
        """\
        type: evidence
        title: "Klasfoto"
        date: 2017-10-19
        competences: [FG1]
        pupils_visible: true
        consent: true
        """,
    )
    assert [d for d in cohort.check().diagnostics if d.code == "PV001"] == []


@pytest.mark.parametrize(
    "text, found",
    [
        ("Mail naar juf.an@deregenboog.be voor de foto's.", "juf.an@deregenboog.be"),
        ("Bel de moeder van Lars op 0478 12 34 56 na vier uur.", "0478 12 34 56"),
        ("Het secretariaat: +32 9 234 56 78.", "+32 9 234 56 78"),
        ("Telefoon school 09/234.56.78", "09/234.56.78"),
    ],
)
def test_email_and_phone_numbers_are_warnings_with_line_and_column(cohort, text, found):
    cohort.entry("reflecties/oudercontact.md", 'type: reflection\ntitle: "Oudercontact"\ndate: 2017-11-10', f"Eerste regel.\n\n{text}\n")
    warnings = [d for d in cohort.check().diagnostics if d.code == "PV002"]
    assert [(d.line, d.column, d.is_error) for d in warnings] == [(9, text.index(found) + 1, False)]
    assert found in warnings[0].message


@pytest.mark.parametrize("text", ["Les op 2017-09-15 om 09:30.", "Bladzijde 12 tot 34 van 56.", "Score 0,5 op 10", "versie 1.0.2"])
def test_dates_times_and_page_numbers_are_not_phone_numbers(cohort, text):
    cohort.entry("reflecties/gewoon.md", 'type: reflection\ntitle: "Gewoon"\ndate: 2017-11-10', f"{text}\n")
    assert [d for d in cohort.check().diagnostics if d.code == "PV002"] == []


def test_an_email_in_a_front_matter_value_is_a_warning_on_its_line(cohort):
    cohort.entry(
        "bewijzen/brief.md",
        """\
        type: evidence
        title: "Brief aan de ouders"
        date: 2017-10-19
        context: "klas van juf An (an.peeters@deregenboog.be)"
        """,
    )
    assert ("jan-peeters/bewijzen/brief.md", 5, "PV002") in cohort.diagnostics()
