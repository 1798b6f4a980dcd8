"""Validate front matter against the typed model, turning pydantic's errors into Dutch problems."""

from __future__ import annotations

import difflib
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from trialoog import rules
from trialoog.portfolio.frontmatter import Document, Problem
from trialoog.portfolio.model import ENTRY_TYPES, KEY_SUGGESTIONS, Entry

ModelT = TypeVar("ModelT", bound=BaseModel)

EXPECTED = {
    "int": "een geheel getal",
    "float": "een getal",
    "string": "tekst",
    "list": "een lijst (`[a, b]` of regels met `- `)",
    "bool": "true of false",
    "date": "een datum (JJJJ-MM-DD)",
    "dict": "sleutels met waarden",
    "model": "sleutels met waarden",
}
MISSING_HINTS = {"date": " (JJJJ-MM-DD)", "type": " (bv. `type: reflection`)"}


def validate_entry(doc: Document) -> Entry | None:
    """The typed entry for a document's front matter, or None; problems are added to `doc`."""
    assert doc.data is not None  # only parsed front matter is validated
    kind = doc.data.get("type")
    if kind is None:
        doc.problems.append(Problem(rules.MISSING_KEY, doc.position(()), "sleutel 'type' ontbreekt (bv. `type: reflection`)"))
        return None
    model = ENTRY_TYPES.get(str(kind))
    if model is None:
        suggestion = _nearest(str(kind), ENTRY_TYPES)
        hint = f" — bedoel je '{suggestion}'?" if suggestion else f"; kies uit: {', '.join(ENTRY_TYPES)}"
        doc.problems.append(Problem(rules.UNKNOWN_TYPE, doc.position(("type",)), f"onbekend type '{kind}'{hint}"))
        return None
    return validate(model, doc)


def validate(model: type[ModelT], doc: Document) -> ModelT | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        already = {problem.position.line for problem in doc.problems}
        problems = [_problem(model, item, doc) for item in error.errors(include_url=False)]
        suggested = {p.message.split("bedoel je '")[-1].rstrip("'?") for p in problems if p.code == rules.UNKNOWN_KEY}
        for problem in problems:
            if problem.code == rules.MISSING_KEY and problem.message.split("'")[1] in suggested:
                continue  # "onbekende sleutel 'titel' — bedoel je 'title'?" already says it
            if problem.position.line not in already or problem.code == rules.UNKNOWN_KEY:
                doc.problems.append(problem)
        return None


def _problem(model: type[BaseModel], item: ErrorDetails, doc: Document) -> Problem:
    loc = tuple(item["loc"])
    kind = item["type"]
    name = ".".join(str(part) for part in loc)
    if kind == "missing":
        return Problem(rules.MISSING_KEY, _parent_position(loc, doc), f"sleutel '{name}' ontbreekt{MISSING_HINTS.get(str(loc[-1]), '')}")
    if kind == "extra_forbidden":
        return Problem(rules.UNKNOWN_KEY, doc.position(loc, of_key=True), _unknown_key_message(model, loc))
    value = item.get("input")
    if kind == "value_error":  # a validator of the model: its message is Dutch and names the fix
        return Problem(rules.WRONG_VALUE, doc.position(loc), str(item.get("ctx", {}).get("error", item["msg"])))
    if kind == "literal_error":
        return Problem(rules.NOT_ALLOWED, doc.position(loc), f"'{value}' is niet toegelaten bij '{name}'; kies uit: {item['ctx']['expected'].replace(' or ', ' of ')}")
    if kind.startswith(("greater_than", "less_than")):
        return Problem(rules.OUT_OF_RANGE, doc.position(loc), _range_message(name, value, item))
    return Problem(rules.WRONG_VALUE, doc.position(loc), f"'{name}' moet {_expected(kind)} zijn, niet '{value}'")


def _parent_position(loc: tuple, doc: Document):
    return doc.position(loc[:-1]) if len(loc) > 1 else doc.position(())


def _unknown_key_message(model: type[BaseModel], loc: tuple) -> str:
    key = str(loc[-1])
    known = list(model.model_fields) if len(loc) == 1 else []
    own = getattr(model, "OWN_KEY_SUGGESTIONS", {}) if len(loc) == 1 else {}
    suggestion = own.get(key.lower()) or KEY_SUGGESTIONS.get(key.lower()) or _nearest(key, known)
    hint = f" — bedoel je '{suggestion}'?" if suggestion else ""
    return f"onbekende sleutel '{key}'{hint}"


def _range_message(name: str, value, item: ErrorDetails) -> str:
    ctx = item.get("ctx", {})
    bound = next(iter(ctx.values()), "")
    if name == "wellbeing":
        return f"welbevinden '{value}' ligt niet tussen 1 en 5"
    comparison = "minstens" if item["type"].startswith("greater") else "hoogstens"
    return f"'{name}' moet {comparison} {bound} zijn, niet '{value}'"


def _expected(kind: str) -> str:
    for prefix, text in EXPECTED.items():
        if kind.startswith(prefix):
            return text
    if kind == "string_pattern_mismatch":
        return "een SHA-256 (64 tekens 0-9a-f)"
    return "een geldige waarde"


def _nearest(word: str, options) -> str | None:
    found = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=0.7)
    return found[0] if found else None
