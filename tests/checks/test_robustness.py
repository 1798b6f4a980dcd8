"""Never a traceback for bad input, and `check` never writes inside the portfolio tree."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import xml.etree.ElementTree as ET

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trialoog.checks import run_check
from trialoog.cli import main
from trialoog.output.formats import FORMATS, render
from trialoog.portfolio.load import load_cohort
from trialoog.portfolio.model import ENTRY_TYPES

from conftest import EXAMPLE, STUDENT, Cohort

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

KEYS = sorted({key for model in ENTRY_TYPES.values() for key in model.model_fields} | {"titel", "competenties", "<<"})
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=30) | st.dates() | st.sampled_from(["FG1", "FG11", "reflecties/eerste-week", "index", "no", "+", "mentor-an", "../x", "/etc/passwd"])
    | st.sampled_from(list(ENTRY_TYPES))
)
keys = st.sampled_from(KEYS) | st.text(min_size=1, max_size=12)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=20)
front_matter = st.dictionaries(keys, values, max_size=8).map(
    lambda data: {"type": data.pop("type", None) or "reflection", **data} if data else data)


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def yamlish(draw) -> bytes:
    """Valid YAML from the format's keys, then maybe a piece of random text dropped into it."""
    text = _dump(draw(front_matter))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=20)) + text[at:]
    body = draw(st.sampled_from(["", "Tekst\n", "[link](../x.md)\n", "![foto](Foto.JPG)\n<script>\n", "mail a@b.be\n"]))
    return ("---\n" + text + "---\n" + body).encode("utf-8", "surrogatepass")


def check_everything(cohort: Cohort):
    """Load, check and render in every format: nothing may raise, and every output stays valid."""
    result = run_check(load_cohort(cohort.root))
    output = {fmt: render(result, fmt) for fmt in FORMATS}
    ET.fromstring(output["junit"].encode("utf-8"))
    json.loads(output["json"])
    assert "\x1b" not in output["text"] and all(line.startswith(("::", "Totaal")) for line in output["github"].splitlines())
    return result


def entry_file(cohort: Cohort, content: bytes) -> None:
    cohort.write(f"{STUDENT}/reflecties/hypothese.md", content)


@SETTINGS
@given(content=st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(cohort, content):
    entry_file(cohort, content)
    check_everything(cohort)


@SETTINGS
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes_after_a_valid_start_never_raise(cohort, content):
    entry_file(cohort, b"---\ntype: reflection\ntitle: x\n" + content)
    check_everything(cohort)


@SETTINGS
@given(content=yamlish())
def test_arbitrary_yaml_front_matter_never_raises(cohort, content):
    entry_file(cohort, content)
    result = check_everything(cohort)
    mine = [d for d in result.diagnostics if d.path.endswith("hypothese.md")]
    assert all(d.line >= 1 and d.column >= 1 for d in mine)


@SETTINGS
@given(profile=yamlish())
def test_arbitrary_profile_never_raises(cohort, profile):
    cohort.write(f"{STUDENT}/index.md", profile)
    check_everything(cohort)


@SETTINGS
@given(data=front_matter)
def test_front_matter_values_as_text_never_raise(cohort, data):
    entry_file(cohort, ("---\n" + _dump(data).replace("'", "") + "---\n").encode("utf-8", "surrogatepass"))
    check_everything(cohort)


# ---- `check` leaves the tree byte-for-byte unchanged -------------------------------------------

def snapshot(root) -> dict[str, tuple]:
    """Every path under root with its bytes' hash (or link target) and mtime."""
    found = {}
    for directory, subdirs, names in os.walk(root):
        for name in subdirs + names:
            path = os.path.join(directory, name)
            info = os.lstat(path)
            if os.path.islink(path):
                content = "link:" + os.readlink(path)
            elif os.path.isdir(path):
                content = "dir"
            else:
                with open(path, "rb") as handle:
                    content = hashlib.sha256(handle.read()).hexdigest()
            found[os.path.relpath(path, root)] = (content, info.st_mtime_ns, info.st_mode)
    return found


def test_check_leaves_the_tree_unchanged(tmp_path, monkeypatch):
    copy = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, copy, symlinks=True)
    before = snapshot(copy)
    monkeypatch.chdir(copy)
    runner = CliRunner()
    for args in (["check", "."], ["check", ".", "--format", "junit"], ["check", ".", "--format", "json", "--strict"],
                 ["check", ".", "--as-of", "2018-06-30"], ["report", "."], ["framework", "show"]):
        result = runner.invoke(main, args, catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
    assert snapshot(copy) == before
    assert snapshot(tmp_path).keys() == {f"portfolios{os.sep}{key}" for key in before} | {"portfolios"}


def test_check_of_a_broken_cohort_leaves_it_unchanged(cohort):
    entry_file(cohort, b"---\ntitle: !!python/object/apply:os.system [touch gemaakt]\n\t-\n")
    cohort.write(f"{STUDENT}/bewijzen/Foto.JPG", b"\xff\xd8")
    before = snapshot(cohort.root)
    CliRunner().invoke(main, ["check", str(cohort.root), "--as-of", str(dt.date(2018, 6, 1))], catch_exceptions=False)
    assert snapshot(cohort.root) == before
