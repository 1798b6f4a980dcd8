"""The scan that reads plain links without Markdown finds exactly what the parser finds.

`scanned_links` either answers what `parsed_links` (Python-Markdown with the base configuration)
answers, or declines (None). These tests compare the two on texts built at random from pieces
that are plain, tricky or plainly out of the scan's reach, and on the synthetic cohort's texts.
"""

from __future__ import annotations

import importlib.util
import random

import pytest
from conftest import REPO

from trialoog.portfolio import links
from trialoog.portfolio.links import links_in, parsed_links, scanned_links
from trialoog.portfolio.render import markdown_extensions

WORDS = ["de", "klas", "les", "foto.jpg", "plan.pdf", "(haakjes)", "*nadruk*", "_ook_", "**vet**", "x!", "wow!", "a:b",
         "50%", "ouders & school", "&amp;", "&#91;", "1.", "#", "?", "|", "--", "~~", "^", "=", "+", ":", "»", " ", "  "]
TARGETS = ["plan.pdf", "../bewijzen/foto.jpg", "foto%20(1).png", "clip.mp4", "les.md#kop", "les.md?x=1", "https://example.org/a.jpg",
           "mailto:a@b.be", "#kop", "//host/x.png", "a*b*.pdf", "a_b_.pdf", "ü.png", "x&y.pdf", "a|b.pdf", "weg.md", "a b.pdf",
           "<a b.pdf>", 'x.pdf "titel"', "x.pdf)", "(x).pdf", "javascript:alert(1)", "x\\_y.pdf", "", "x:y", "x]y.pdf", "x!.pdf"]
LINE_STARTS = ["", "", "", "# ", "## ", "- ", "* ", "1. ", "> ", ">     ", "  - ", "    ", "\t", "| ", ": ", "!!! note ", "??? tip ",
               "- [ ] ", "- [x] ", "[^1]: ", "*[HTML]: ", "[ref]: ", "```\n", "~~~\n", "***\n", "Kop\n---\n", "   "]
PIECES = ["`code`", "``[a](b.pdf)``", "`[a](b.pdf)`", "\\[a](b.pdf)", "\\", "<b>", "<img src=x.png>", "<a href=y.md>", "{: .klasse }",
          "{#id}", "[^1]", "[ref]", "[tekst][ref]", "[a [b](c.pdf)](d.pdf)", "[![f](a.png)](b.pdf)", "[", "]", "](", "[a]",
          "[a] (b.pdf)", "[a\nb](c.pdf)", "<!-- x -->", "<http://example.org>", "HTML", "\n", "\n\n", "\n\n", "|---|---|\n"]


LINK_TEXTS = ["", "tekst", "foto", "*nadruk*", "a (b)", "a|b", "x!", "plan.pdf", "`c`", "&amp;", "a: b"]
# The pieces of texts the scan mostly answers: what students write around plain links.
PLAIN = {"starts": ["", "", "# ", "- ", "1. ", "> ", "  - ", "| ", ": ", "   ", "***\n", "Kop\n---\n"],
         "targets": [t for t in TARGETS if t and not any(c in t for c in ' <"\\&|]()')],
         "texts": [t for t in LINK_TEXTS if not any(c in t for c in "`|")],
         "pieces": ["\n", "\n\n", "(x)", "wow!", "a: b", "|---|---|\n"]}
ANY = {"starts": LINE_STARTS, "targets": TARGETS, "texts": LINK_TEXTS, "pieces": PIECES}


def link(rng: random.Random, pool: dict) -> str:
    return f"{rng.choice(['', '', '!'])}[{rng.choice(pool['texts'])}]({rng.choice(pool['targets'])})"


def body(rng: random.Random, pool: dict) -> str:
    lines = []
    for _ in range(rng.randint(1, 8)):
        parts = [rng.choice(pool["starts"])]
        for _ in range(rng.randint(1, 8)):
            roll = rng.random()
            parts.append(link(rng, pool) if roll < 0.35 else rng.choice(pool["pieces"]) if roll < 0.45 else rng.choice(WORDS))
            parts.append(rng.choice([" ", " ", "", ", "]))
        lines.append("".join(parts))
    return rng.choice(["\n", "\n\n"]).join(lines) + rng.choice(["", "\n"])


def test_the_scan_is_verified_against_the_configured_extensions():
    """If mkdocs.yml gains an extension, the scan declines until this comparison includes it."""
    assert set(markdown_extensions()[0]) <= links.SCANNED_EXTENSIONS
    assert links._scan_is_exact()


@pytest.mark.parametrize("seed", range(6))
def test_the_scan_finds_what_the_parser_finds_in_random_texts(seed):
    rng = random.Random(seed)
    scanned = 0
    for number in range(500):
        # Half the texts hold only plain pieces, so the scan answers often; half hold anything.
        text = body(rng, ANY if number % 2 else PLAIN)
        found = scanned_links(text)
        if found is not None:
            scanned += 1
            assert found == parsed_links(text), text
    assert scanned > 100  # the comparison is about texts the scan answers, not only its refusals


@pytest.mark.parametrize("text", [
    "[a](b.pdf) en ![f](x.jpg)", "[](b.pdf)", "[a](b))", "[a](b)(c)", "x![a](b.png)", "# [a](b)\n\n- [c](d)\n> [e](f)",
    "| a | [b](c) |\n|---|---|\n| [d](e) | f |", "Term\n: [a](b)", "[a](https://x.org/a.jpg) [b](#kop) [c](mailto:x@y.be)",
    "*[a](b_c_.pdf)* en _[d](e*f*.pdf)_", "Kop\n===\n\n[a](b.pdf)", "[a](b.pdf)  \n[c](d.pdf)",
])
def test_plain_texts_are_scanned_and_equal_the_parser(text):
    assert scanned_links(text) is not None
    assert scanned_links(text) == parsed_links(text)


@pytest.mark.parametrize("text", [
    "`[a](b.pdf)`", "    [a](b.pdf)", "\\[a](b.pdf)", "<a href=b.pdf>x</a>", "[a](b.pdf){: .x }", "[a][r]\n\n[r]: b.pdf",
    "Zie[^1].\n\n[^1]: [a](b.pdf)", "- [ ] [a](b.pdf)", "!!! note\n\n    [a](b.pdf)", "[a [b](c)](d)", "[a](b c.pdf)",
    "[a](x&amp;y.pdf)", "| [a](b|c.pdf) |",
])
def test_what_could_differ_is_left_to_the_parser(text):
    assert scanned_links(text) is None


def test_links_in_places_scanned_links_as_the_parser_places_them():
    text = "Eerst foto.jpg in de tekst.\n\n![foto](foto.jpg) en [plan](plan.pdf)\n\n[plan](plan.pdf)\n"
    assert list(links._placed(text, 7, parsed_links(text))) == links_in(text, 7)
    assert [(link.line, link.column) for link in links_in(text, 7)] == [(7, 7), (9, 29), (11, 8)]


def test_the_synthetic_cohorts_texts_scan_as_they_parse(tmp_path):
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "bench" / "synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    root = synthetic.generate(tmp_path / "cohorte", students=3, entries=60, seed=11)
    scanned = 0
    for path in sorted(root.rglob("*.md")):
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        found = scanned_links(text)
        if found is not None:
            scanned += 1
            assert found == parsed_links(text), path
    assert scanned > 100
