"""Docs that cannot go stale: codes, commands and the map of the code are generated into the README,
and every YAML example in the README passes `trialoog check` (or fails with the code it says)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
import yaml

from trialoog.checks import run_check
from trialoog.cli import docs as entry
from trialoog.cli import main
from trialoog.output import docs
from trialoog.portfolio.framework import load_framework
from trialoog.portfolio.load import load_cohort
from trialoog.rules import RULES
from trialoog.workflow.scaffold import FOLDERS, NewEntry, file_name, slugify

from conftest import REPO
from test_layout import PACKAGE, STAGES

README = REPO / "README.md"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def between(section: docs.Section, text: str | None = None) -> str:
    text = readme() if text is None else text
    return text[text.index(section.start) + len(section.start):text.index(section.end)]


SECTIONS = {section.start.split(":")[0].removeprefix("<!-- "): section for section in docs.sections(main)}


def documented_codes() -> list[str]:
    return re.findall(r"^\| `([A-Z]{2}\d{3})` \|", between(SECTIONS["codes"]), re.MULTILINE)


def command_paths(group: click.Group, prefix: str = "trialoog"):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path
        if isinstance(command, click.Group):
            yield from command_paths(command, path)


# ---- the generated sections ----------------------------------------------------------------------

def test_readme_sections_are_up_to_date():
    done = subprocess.run([sys.executable, "-m", "trialoog.cli.docs", "--check", str(README)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_code_is_in_the_readme_table(code):
    assert code in documented_codes(), f"{code} ontbreekt in README.md: python -m trialoog.cli.docs --write README.md"


def test_readme_table_has_no_unknown_codes():
    assert sorted(set(documented_codes()) - set(RULES)) == []


@pytest.mark.parametrize("command", list(command_paths(main)))
def test_every_command_is_in_the_command_table(command):
    assert f"| `{command} " in between(SECTIONS["commands"]), f"'{command}' staat niet in de commandotabel van README.md"


def test_every_command_has_help():
    assert [context.command_path for context, command in docs.commands(main) if not docs.summary(command)] == []


def test_command_row_shows_arguments_options_and_first_help_paragraph():
    rows = {line.split("`")[1].split(" [")[0]: line for line in docs.commands_table(main).splitlines()[2:]}
    check = rows["trialoog check"]
    assert "`trialoog check [MAP] [--as-of DATUM]" in check and "[--format text\\|json\\|github\\|junit] [--strict] [--changed-since REF]`" in check
    assert check.endswith("| Controleer de portfolio's: front matter, verwijzingen, bijlagen en mijlpalen. |")  # not the exit codes below it
    assert "--on TEKST --by TEKST [--answers TEKST]`" in rows["trialoog new feedback TITEL"]  # required options have no brackets
    assert "[--mentor TEKST]…" in rows["trialoog new student ID --name TEKST"]
    assert "trialoog new" not in rows and "trialoog framework" not in rows  # a group is its subcommands


def test_hidden_commands_stay_out():
    group = click.Group("trialoog", commands=[click.Command("zichtbaar", help="Doet iets."), click.Command("geheim", hidden=True)])
    assert [context.command_path for context, _ in docs.commands(group)] == ["trialoog zichtbaar"]


def test_map_names_every_module_and_nothing_else():
    named = set(re.findall(r"^\| `([^`]+)` \|", between(SECTIONS["map"]), re.MULTILINE))
    present = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")}
    present = {name.removesuffix("__init__.py") if name.count("/") else name for name in present}
    assert named == present


def test_map_follows_the_stages_of_the_layout_test():
    assert docs.STAGES == STAGES
    packages = [line.split("`")[1] for line in docs.code_map().splitlines()[2:] if line.split("`")[1].endswith("/")]
    assert packages == [f"{stage}/" for stage in STAGES]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_module_says_in_one_line_what_it_is_for(path):
    assert docs.first_line(path)


def test_module_without_a_one_line_summary_is_refused(tmp_path):
    (tmp_path / "los.py").write_text('"""Twee regels\nvoor de samenvatting."""\n', encoding="utf-8")
    (tmp_path / "leeg.py").write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="meer dan één regel"):
        docs.first_line(tmp_path / "los.py")
    with pytest.raises(ValueError, match="geen docstring"):
        docs.first_line(tmp_path / "leeg.py")


def test_table_row_per_rule_with_dutch_severity():
    lines = docs.codes_table().splitlines()
    assert lines[0] == "| code | ernst | betekenis | voorbeeld | oplossing |"
    assert len(lines) == 2 + len(RULES)
    row = next(line for line in lines if line.startswith("| `FM012` |"))
    assert row.split(" | ")[1:3] == ["waarschuwing", "ja/nee wordt waar/onwaar"]
    assert next(line for line in lines if line.startswith("| `RF001` |")).split(" | ")[1] == "fout"


def test_pipes_in_cells_are_escaped():
    assert docs._cell("a | b\nc") == "a \\| b c"


def test_write_replaces_only_between_markers(tmp_path, capsys):
    path = tmp_path / "README.md"
    markers = "\n\n".join(f"{section.start}\nOUD\n{section.end}" for section in SECTIONS.values())
    path.write_text(f"# Titel\n\n{markers}\n\nRest\n", encoding="utf-8")
    assert entry.main(["--check", str(path)]) == 1
    assert "de tabel met meldingscodes, de tabel met commando's, de kaart van de code is verouderd" in capsys.readouterr().err
    assert entry.main(["--write", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Titel\n\n" + docs.START + "\n| code |")
    assert text.endswith(SECTIONS["map"].end + "\n\nRest\n") and "OUD" not in text
    assert between(SECTIONS["commands"], text) == "\n" + docs.commands_table(main)
    assert entry.main(["--check", str(path)]) == 0


def test_missing_markers_exit_2(tmp_path, capsys):
    path = tmp_path / "README.md"
    path.write_text(f"# Titel\n\n{docs.START}\n{docs.END}\n", encoding="utf-8")
    assert entry.main(["--check", str(path)]) == 2
    assert "markeringen <!-- commands:start -->" in capsys.readouterr().err


def test_print_sections(capsys):
    assert entry.main([]) == 0
    out = capsys.readouterr().out
    assert docs.codes_table() in out and docs.commands_table(main) in out and docs.code_map() in out


# ---- the README's YAML examples ------------------------------------------------------------------

FENCE = re.compile(r"^```(yaml|markdown)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"<!-- (fout: [A-Z]{2}\d{3}|fragment) -->\s*$")


@dataclass(frozen=True)
class Example:
    """A fenced block of the README, with the HTML comment that says what it shows (if any)."""

    line: int
    language: str
    text: str
    marker: str | None

    @property
    def expected(self) -> str | None:
        return self.marker.removeprefix("fout: ") if self.marker and self.marker.startswith("fout: ") else None

    @property
    def kind(self) -> str:
        if self.text.startswith("---\n"):
            return "entry"
        if self.language == "markdown":
            return "text"  # Markdown without front matter is body text, nothing to check
        data = yaml.safe_load(self.text)
        if isinstance(data, dict) and "academic_year" in data:
            return "config"
        if isinstance(data, dict) and {"levels", "competences"} <= set(data):
            return "framework"
        return "unknown"

    @property
    def front(self) -> dict:
        return yaml.safe_load(self.text.split("---\n")[1])

    def __str__(self) -> str:
        return f"README.md:{self.line}"


def examples(document: str) -> list[Example]:
    found = []
    for match in FENCE.finditer(document):
        before = document[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.search(before)
        found.append(Example(document.count("\n", 0, match.start()) + 1, match.group(1), match.group(2), marker and marker.group(1)))
    return found


EXAMPLES = examples(readme())


def entry_path(example: Example) -> str:
    """Where `trialoog new` would put the entry: its folder, the date and a slug of the title."""
    front = example.front
    if front["type"] == "profile":
        return "index.md"
    day = front.get("date") or dt.date(2017, 9, 1)
    return f"{FOLDERS[front['type']]}/{file_name(NewEntry(front['type'], front['title'], day))}"


def write_cohort(root: Path, entries: list[Example]) -> str:
    """The README's portfolio.yml and entries as a cohort of one student; returns the student's id."""
    [config] = [example for example in EXAMPLES if example.kind == "config" and not example.marker]
    [profile] = [example for example in EXAMPLES if example.kind == "entry" and not example.marker and example.front["type"] == "profile"]
    student = slugify(profile.front["name"])
    (root / "portfolio.yml").write_text(config.text, encoding="utf-8")
    for example in entries:
        path = root / student / entry_path(example)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(example.text, encoding="utf-8")
        for attachment in example.front.get("attachments") or []:
            (path.parent / attachment).write_bytes(_placeholder(attachment))
    return student


def _placeholder(name: str) -> bytes:
    """A README shows the entry, not the file beside it; an image must be a real one (else AT006)."""
    import io

    from PIL import Image

    formats = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
    kind = formats.get(Path(name).suffix.lower())
    if kind is None:
        return b""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, kind)
    return buffer.getvalue()


def check(root: Path):
    return run_check(load_cohort(root)).diagnostics


VALID = [example for example in EXAMPLES if example.kind == "entry" and not example.marker]


def test_the_readme_has_examples_of_every_entry_type():
    assert {example.front["type"] for example in VALID} == {"profile", *FOLDERS}


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_every_yaml_example_is_something_we_can_check(example):
    kind = example.kind  # a fragment too must be YAML
    assert kind != "unknown" or example.marker == "fragment", f"{example}: geen portfolio.yml, item of kader; zet <!-- fragment --> erboven als het een deel is"
    if kind != "entry":
        assert not example.expected, f"{example}: <!-- fout: … --> staat alleen boven een item"


def test_the_readme_examples_together_are_a_valid_cohort(tmp_path):
    student = write_cohort(tmp_path, VALID)
    # One example of each type cannot meet a cohort's milestones (MS001); anything else is the README's mistake.
    found = [f"{d.path.removeprefix(f'{tmp_path}/')}:{d.line}: {d.code} {d.message}" for d in check(tmp_path) if d.code != "MS001"]
    assert not found, f"de voorbeelden in README.md (student {student}) zijn niet geldig:\n" + "\n".join(found)


@pytest.mark.parametrize("example", [example for example in EXAMPLES if example.expected], ids=str)
def test_an_example_marked_as_an_error_gives_that_code(tmp_path, example):
    student = write_cohort(tmp_path, [*VALID, example])
    path = f"{student}/{entry_path(example)}"
    codes = {d.code for d in check(tmp_path) if d.path.endswith(path)}
    assert example.expected in codes, f"{example}: verwacht {example.expected} in {path}, kreeg {sorted(codes)}"


@pytest.mark.parametrize("example", [example for example in EXAMPLES if example.kind == "framework"], ids=str)
def test_a_framework_example_loads(tmp_path, example):
    (tmp_path / "kader.yml").write_text(example.text, encoding="utf-8")
    framework = load_framework("kader.yml", tmp_path)
    assert framework.levels


def test_examples_and_markers_are_found():
    document = "tekst\n<!-- fout: RF001 -->\n```yaml\n---\ntype: goal\n---\n```\n\n```markdown\nGewone tekst\n```\n<!-- fragment -->\n\n```yaml\nsignoff: []\n```\n"
    found = examples(document)
    assert [(e.line, e.kind, e.expected, e.marker) for e in found] == [
        (3, "entry", "RF001", "fout: RF001"), (9, "text", None, None), (14, "unknown", None, "fragment")]


def test_every_path_the_readme_names_exists():
    # Paths in backticks under generator/ or tests/ (a move of a module or test must update the prose too);
    # tests/screenshots/ is written by the browser tests and kept out of git.
    named = set(re.findall(r"`((?:generator|tests)/[^`\s]*)`", readme()))
    missing = sorted(path for path in named if not (REPO / path).exists() and not path.startswith("tests/screenshots/"))
    assert missing == [], f"README.md noemt paden die niet bestaan: {missing}"
