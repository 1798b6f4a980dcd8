"""The README's guides cannot rot: every `trialoog …` line they show runs, in order, on a fresh cohort.

The sections "Een nieuwe cohorte opzetten" and "Installeren voor studenten" keep their commands in
```sh blocks. Each section starts in an empty folder; `mkdir` and `cd` lines move through it like a
shell would, `trialoog` lines run and must exit 0, and every other line must carry the marker
`# (niet getest: reason)` (network, a forge, a server that keeps running), so nothing is skipped
silently.
"""

from __future__ import annotations

import re
import shlex

import pytest

from workflow_helpers import REPO, trialoog

README = REPO / "README.md"
SECTIONS = ("Een nieuwe cohorte opzetten", "Installeren voor studenten")
SKIP = re.compile(r"#\s*\(niet getest: [^)]+\)\s*$")


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def sh_lines(text: str) -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


@pytest.mark.parametrize("title", SECTIONS)
def test_every_command_of_the_guide_runs(title, tmp_path, monkeypatch):
    lines = sh_lines(section(title))
    assert any(line.startswith("trialoog ") for line in lines)
    if title == SECTIONS[1]:
        # Students install into a repository that the coordinator made: the first guide's result.
        here = tmp_path
        for line in sh_lines(section(SECTIONS[0])):
            if not SKIP.search(line):
                here = _run(line, here, monkeypatch)
    here = tmp_path
    for line in lines:
        if SKIP.search(line):
            continue
        here = _run(line, here, monkeypatch)


def _run(line: str, here, monkeypatch):
    words = shlex.split(line, comments=True)
    if words[0] == "mkdir":
        (here / words[-1]).mkdir(parents=True)
        return here
    if words[0] == "cd":
        assert (here / words[1]).is_dir(), line
        return (here / words[1]).resolve()
    assert words[0] == "trialoog", f"zonder markering `# (niet getest: …)`: {line}"
    result = trialoog(monkeypatch, here, *words[1:])
    assert result.exit_code == 0, f"{line}\n{result.output}"
    return here


def test_skipped_lines_say_why():
    for title in SECTIONS:
        for line in sh_lines(section(title)):
            if not line.startswith(("trialoog ", "cd ", "mkdir ")):
                assert SKIP.search(line), f"{title}: {line}"
