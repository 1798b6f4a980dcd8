"""What a person reads for each value of the format's fixed vocabularies, declared once.

Front matter values are short ids ("alact", "functionele-opdracht", "personeelsvergadering");
every page, report and message shows the label here instead. It sits in portfolio/, below every
page-making stage, so the student site, the overview and the print pages all read the same words.
A value without a label (an open vocabulary such as a meeting kind the programme invented) is
shown as the student wrote it, with hyphens as spaces and a capital: "Studiedag" for "studiedag".
"""

from __future__ import annotations

from typing import Mapping

PROGRAM = {"lager": "lager onderwijs", "kleuter": "kleuteronderwijs", "secundair": "secundair onderwijs"}
TRAJECTORY = {"werkplekleren": "werkplekleren", "klassiek": "klassiek traject"}
REFLECTION_MODEL = {
    "alact": "ALACT (Korthagen)",
    "kernreflectie": "Kernreflectie (ui-model, Korthagen)",
    "vrij": "Vrije reflectie",
    "star": "STARR",
    "starr": "STARR",
    "gibbs": "Reflectiecyclus van Gibbs",
}
TASK_KIND = {"leertaak": "Leertaak", "functionele-opdracht": "Functionele opdracht"}
TASK_STATUS = {"gepland": "gepland", "bezig": "bezig", "ingediend": "ingediend", "afgerond": "afgerond"}
GOAL_STATUS = {"open": "open", "bezig": "bezig", "behaald": "behaald"}
MEETING_KIND = {
    "intervisie": "Intervisie",
    "terugkomdag": "Terugkomdag",
    "evaluatiegesprek": "Evaluatiegesprek",
    "personeelsvergadering": "Personeelsvergadering",
    "oudercontact": "Oudercontact",
    "klassenraad": "Klassenraad",
    "mdo": "Multidisciplinair overleg (MDO)",
    "zorgoverleg": "Zorgoverleg",
}
EVALUATION_MOMENT = {"tussentijds": "Tussentijdse evaluatie", "eind": "Eindevaluatie"}
ROLE = {"mentor": "mentor", "coach": "coach", "evaluator": "lid van het evaluatieteam"}

# The vocabularies by the name a template asks for: `label("meeting_kind", entry.model.kind)`.
VOCABULARIES: dict[str, Mapping[str, str]] = {
    "program": PROGRAM,
    "trajectory": TRAJECTORY,
    "reflection_model": REFLECTION_MODEL,
    "task_kind": TASK_KIND,
    "task_status": TASK_STATUS,
    "goal_status": GOAL_STATUS,
    "meeting_kind": MEETING_KIND,
    "evaluation_moment": EVALUATION_MOMENT,
    "role": ROLE,
}


def label(vocabulary: str, value: str | None) -> str:
    """The words for `value` of `vocabulary`; an unknown value as written, readable."""
    if value is None:
        return "—"
    known = VOCABULARIES[vocabulary].get(value)
    if known is not None:
        return known
    words = value.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if vocabulary in _CAPITALISED else words


# Labels that name a thing (shown on their own) start with a capital; states and programmes do not.
_CAPITALISED = frozenset({"reflection_model", "task_kind", "meeting_kind", "evaluation_moment"})
