"""Every shortcut of `trialoog check` reports exactly what the slow path reports.

The shortcuts: front matter read without libyaml (frontmatter._read_plain), links read without
Markdown (links.scanned_links, links.quick_targets), resolved paths shared between checks
(Context.resolve), control characters found by one regex, image verdicts remembered by content
(images.Verdicts). With all of them switched off, the check of a synthetic cohort with its
deliberate slips, plus texts and images that need the slow path, must give the same diagnostics:
path, line, column, code, message and severity.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
from pathlib import Path

import pytest
from conftest import REPO
from PIL import Image

import trialoog.checks as checks
from trialoog.portfolio.cache import cache_root
from trialoog.checks import cohort as cohort_rules
from trialoog.checks import files, links as link_rules, run_check
from trialoog.portfolio import frontmatter, images, links
from trialoog.portfolio.images import CLEANED, Verdicts, is_cleaned, problem_of
from trialoog.portfolio.load import load_cohort
from trialoog.portfolio.paths import resolve_inside


def _synthetic(root: Path) -> Path:
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "bench" / "synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    return synthetic.generate(root, students=4, entries=50, seed=23)


def _jpeg(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


SLOW_TEXTS = {
    # front matter the plain reader leaves to libyaml, and problems it must let libyaml place
    "reflecties/yaml-1.md": "---\ntype: reflection\ntitle: Met opmerking  # hier\ndate: 2017-10-02\ncompetences: [FG1]\n---\n\nTekst.\n",
    "reflecties/yaml-2.md": "---\ntype: reflection\ntitle: >\n  Gevouwen\n  titel\ndate: 2017-10-03\ncompetences: [FG1]\n---\n\nTekst.\n",
    "reflecties/yaml-3.md": "---\ntype: reflection\ntitle: Dubbel\ntitle: Twee keer\ndate: 2017-10-04\n---\n\nTekst.\n",
    "reflecties/yaml-4.md": "---\ntype: reflection\ntitle: “Word”\ndate: 2017-02-30\npupils_visible: yes\n---\n\nTekst.\n",
    "reflecties/yaml-5.md": "---\ntype: reflection\ntitle: \"Tab\"\n\tdate: 2017-10-05\n---\n\nTekst.\n",
    # links the scan leaves to Markdown: code, references, HTML, titles, brackets
    "reflecties/links-1.md": ("---\ntype: reflection\ntitle: Links 1\ndate: 2017-10-06\ncompetences: [FG1]\n---\n\n"
                              "Eerst `[code](weg.pdf)` en dan [echt](weg.pdf).\n\n    [ingesprongen](weg.jpg)\n\n"
                              "[ref][r] en [nog][r]\n\n[r]: kapot.jpg\n"),
    "reflecties/links-2.md": ("---\ntype: reflection\ntitle: Links 2\ndate: 2017-10-07\ncompetences: [FG1]\n---\n\n"
                              "<a href=kwijt.pdf>html</a> [titel](kapot.jpg \"t\") [a [b](kapot.jpg)](weg.md)\n\n"
                              "![kapot](kapot.jpg) en ![heel](heel.jpg) en [plan](plan.pdf)\n"),
    "reflecties/links-3.md": ("---\ntype: reflection\ntitle: Links 3\ndate: 2017-10-08\ncompetences: [FG1]\n---\n\n"
                              "Zie kapot.jpg hier: ![kapot](kapot.jpg) ![kapot](kapot.jpg)\n\n- [plan](plan.pdf)\n> [weg](weg.md)\n"),
}


def _with_slow_cases(root: Path) -> Path:
    student = next(path for path in sorted(root.iterdir()) if path.is_dir())
    for relative, text in SLOW_TEXTS.items():
        (student / relative).write_text(text, encoding="utf-8")
    (student / "reflecties" / "kapot.jpg").write_bytes(_jpeg()[:-40])  # truncated: AT006
    (student / "reflecties" / "heel.jpg").write_bytes(_jpeg())
    (student / "reflecties" / "plan.pdf").write_bytes(b"%PDF-1.4 klein")  # AT007
    return root


def _slow_paths(monkeypatch) -> None:
    monkeypatch.setattr(frontmatter, "_read_plain", lambda source, doc: False)
    monkeypatch.setattr(links, "scanned_links", lambda body: None)
    monkeypatch.setattr(files, "quick_targets", lambda body: None)
    monkeypatch.setattr(link_rules, "quick_targets", lambda body: None)
    monkeypatch.setattr(cohort_rules, "_SUSPECT", re.compile("(?s)."))
    monkeypatch.setattr(checks, "_image_cache", lambda cohort: None)
    monkeypatch.setattr(checks.Context, "resolve", lambda self, student, entry, reference: resolve_inside(student, entry, reference))


def _diagnostics(root: Path) -> list[tuple]:
    return [(d.path, d.line, d.column, d.code, d.message, d.severity) for d in run_check(load_cohort(root)).diagnostics]


@pytest.fixture(scope="module")
def slipped_cohort(tmp_path_factory) -> Path:
    return _with_slow_cases(_synthetic(tmp_path_factory.mktemp("snel") / "cohorte"))


def test_the_check_with_every_shortcut_equals_the_check_without(slipped_cohort, monkeypatch):
    cold = _diagnostics(slipped_cohort)
    warm = _diagnostics(slipped_cohort)  # the image verdicts now come from the cache
    with monkeypatch.context() as patched:
        _slow_paths(patched)
        slow = _diagnostics(slipped_cohort)
    assert cold == warm == slow
    codes = {found[3] for found in slow}
    assert {"AT004", "AT006", "AT007", "FM006", "FM009", "FM011", "FM012", "FM014"} <= codes, codes  # the slips were seen


def test_an_image_verdict_is_remembered_by_content_and_equals_problem_of(tmp_path):
    broken, whole = tmp_path / "kapot.jpg", tmp_path / "heel.jpg"
    broken.write_bytes(_jpeg()[:-40])
    whole.write_bytes(_jpeg())
    first = Verdicts(tmp_path / "cache")
    assert [first.problem_of(broken), first.problem_of(whole)] == [problem_of(broken), problem_of(whole)]
    assert problem_of(broken) and problem_of(whole) is None
    first.save()
    second = Verdicts(tmp_path / "cache")
    assert len(second.known) == 2
    whole.write_bytes(_jpeg()[:-40])  # the same name, other bytes: a new verdict
    assert second.problem_of(whole) == problem_of(whole) is not None


def test_a_settled_file_is_not_read_again_until_it_changes(tmp_path, monkeypatch):
    """The stat shortcut: a photo that did not change is not read and hashed on every check."""
    image = tmp_path / "heel.jpg"
    image.write_bytes(_jpeg())
    fresh = Verdicts(tmp_path / "cache")
    assert fresh.problem_of(image) is None and fresh.hashed == {}  # changed just now: not trusted by its stat
    monkeypatch.setattr(images, "SETTLED_NS", -10**18)  # as if it changed long ago
    first = Verdicts(tmp_path / "cache")
    assert first.problem_of(image) is None and len(first.hashed) == 1
    first.save()
    second = Verdicts(tmp_path / "cache")
    with monkeypatch.context() as patched:
        patched.setattr(Path, "read_bytes", lambda self: pytest.fail("read again"))
        assert second.problem_of(image) is None
    stat = image.stat()
    broken = bytearray(image.read_bytes())
    broken[-40:] = b"\0" * 40  # same size, other bytes, and the old modification time put back
    image.write_bytes(bytes(broken))
    os.utime(image, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert Verdicts(tmp_path / "cache").problem_of(image) == problem_of(image) is not None  # the change time moved


def test_a_corrupt_or_unwritable_cache_is_ignored(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    image = tmp_path / "kapot.jpg"
    image.write_bytes(_jpeg()[:-40])
    first = Verdicts(folder)
    first.path.write_text("{niet json", encoding="utf-8")
    assert Verdicts(folder).known == {}
    first.path.write_text('{"verdicts": {"' + "0" * 64 + '": 3, "kort": null}, "files": {"' + "1" * 64 + '": [1, 2]}}',
                          encoding="utf-8")  # values of the wrong shape are dropped
    assert Verdicts(folder).known == {} and Verdicts(folder).hashed == {}
    blocked = Verdicts(tmp_path / "bestand" / "cache")
    (tmp_path / "bestand").write_text("geen map", encoding="utf-8")
    assert blocked.problem_of(image) == problem_of(image)
    blocked.save()  # cannot write: no error, nothing left behind
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bestand", "cache", "kapot.jpg"]


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TRIALOOG_CACHE_DIR", "")
    assert cache_root() is None  # set but empty: no cache
    monkeypatch.setenv("TRIALOOG_CACHE_DIR", str(tmp_path / "eigen"))
    assert cache_root() == tmp_path / "eigen"
    monkeypatch.delenv("TRIALOOG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "trialoog"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "thuis"))
    assert cache_root() == tmp_path / "thuis" / ".cache" / "trialoog"


def test_a_cache_inside_a_student_folder_is_not_used(cohort, monkeypatch):
    """It would be committed and published with the student's work."""
    inside = cohort.root / "jan-peeters" / "cache"
    monkeypatch.setenv("TRIALOOG_CACHE_DIR", str(inside))
    cohort.write("jan-peeters/reflecties/foto.jpg", _jpeg())
    cohort.entry("reflecties/foto.md", "type: reflection\ntitle: Foto\ndate: 2017-10-02", "![foto](foto.jpg)\n")
    cohort.check()
    assert not inside.exists()


@pytest.mark.parametrize("name", ["a.jpg", "a.JPG", ".jpg", "a.", "a.jpg/", "a.jpg/.", "x/./b.png", "x//b.gif", "./c.webp",
                                  "", ".", "..", "a.b/c", "a.tar.jpeg", "é.Png", "a/.hidden.gif", "dir.jpg/x", "/abs.jpg"])
def test_is_cleaned_reads_the_suffix_as_path_does(name):
    assert is_cleaned(name) == (Path(name).suffix.lower() in CLEANED)
