"""A synthetic cohort for the benchmark: many students, entries of all eight types, attachments.

Deterministic (seeded). About 1 in 50 entries carries a typical mistake (unknown competence, a
Dutch key, a missing attachment, a broken link) so that the check also reports, as a real cohort does.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

START = dt.date(2017, 8, 28)
DAYS = 300
FG = [f"FG{n}" for n in range(1, 11)] + ["FG1.1", "FG1.2", "FG1.3"]
BH = [f"BH{n}" for n in range(1, 9)]
LEVELS = ["--", "-", "+-", "+", "++"]
COURSES = ["Wiskunde", "Nederlands", "Wereldoriëntatie", "Muzische vorming"]
MEETINGS = ["intervisie", "terugkomdag", "evaluatiegesprek", "personeelsvergadering", "oudercontact"]
PEOPLE = ["mentor-an", "mentor-tom", "coach-koen", "coach-sofie", "evaluator-lies"]
# Share of each type among a student's entries (the profile comes on top).
MIX = [("reflection", 36), ("goal", 5), ("task", 10), ("evidence", 18), ("meeting", 12), ("evaluation", 2), ("feedback", 17)]
FOLDERS = {"reflection": "reflecties", "goal": "leerdoelen", "task": "taken", "evidence": "bewijzen",
           "meeting": "overleg", "evaluation": "evaluaties", "feedback": "feedback"}
WORDS = ("de leerlingen klas juf meester les hoekenwerk breuken lezen rekenen speelplaats rust structuur "
         "differentiatie instructie feedback ouders zorg team observatie doel groepswerk evaluatie "
         "mentor coach reflectie ik merkte dat volgende keer wil ik beter proberen want omdat").split()

PORTFOLIO_YML = """\
title: "Synthetische cohorte"
institution: "Hogeschool Bench"
framework: basiscompetenties
academic_year: {start: 2017-08-28, end: 2018-06-30}
as_of: 2018-03-15
people:
  mentor-an: {name: "An Peeters", role: mentor}
  mentor-tom: {name: "Tom Wouters", role: mentor}
  coach-koen: {name: "Koen Smets", role: coach}
  coach-sofie: {name: "Sofie Maes", role: coach}
  evaluator-lies: {name: "Lies Vermeulen", role: evaluator}
milestones:
  - {id: start, title: "Goed gestart", due: 2017-10-15, require: {reflections: 3}}
  - id: tussentijds
    title: "Tussentijdse evaluatie"
    due: 2018-01-26
    require: {reflections: 10, evaluations: [tussentijds], tasks: [Wiskunde]}
  - id: lente
    title: "Lentebalans"
    due: 2018-04-20
    require: {reflections: 18, evidence_per_competence: 1, competences: [FG1, FG3, FG4, FG6], tasks: [Nederlands]}
  - {id: eind, title: "Eindevaluatie", due: 2018-06-15, require: {reflections: 25, evidence_per_competence: 1, evaluations: [eind]}}
"""


def generate(root: Path, students: int = 300, entries: int = 120, seed: int = 2017) -> Path:
    """Write a cohort of `students` × (`entries` + profile) Markdown files under root; returns root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "portfolio.yml").write_text(PORTFOLIO_YML, encoding="utf-8")
    rng = random.Random(seed)
    for number in range(students):
        _student(root / f"student-{number:04d}", entries, rng)
    return root


def _student(folder: Path, count: int, rng: random.Random) -> None:
    plan = _plan(count, rng)
    ids = {kind: [f"{FOLDERS[kind]}/{kind}-{index:03d}" for index in range(n)] for kind, n in plan.items()}
    _write(folder / "index.md", _profile(folder.name, rng))
    for kind, names in ids.items():
        for index, entry_id in enumerate(names):
            front, body = WRITERS[kind](index, ids, folder, entry_id, rng)
            if rng.random() < 0.02:
                front, body = _mistake(front, body, rng)
            _write(folder / f"{entry_id}.md", f"---\n{front}---\n\n{body}")


def _plan(count: int, rng: random.Random) -> dict[str, int]:
    total = sum(weight for _, weight in MIX)
    plan = {kind: max(1, count * weight // total) for kind, weight in MIX}
    plan["reflection"] += count - sum(plan.values())
    return plan


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _day(rng: random.Random) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(DAYS))


def _codes(rng: random.Random) -> str:
    return "[" + ", ".join(rng.sample(FG + BH, rng.randint(1, 4))) + "]"


def _text(rng: random.Random, paragraphs: int) -> str:
    blocks = []
    for _ in range(paragraphs):
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        blocks.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(blocks) + "\n"


def _link(ids, kind: str, rng: random.Random) -> str:
    target = rng.choice(ids[kind])
    return f"[{kind}](../{target}.md)"


def _profile(name: str, rng: random.Random) -> str:
    return (f"---\ntype: profile\ntitle: \"Portfolio van {name}\"\nname: \"{name.replace('-', ' ').title()}\"\n"
            f"program: {rng.choice(['lager', 'kleuter'])}\ntrajectory: werkplekleren\ncohort: \"2017-2018\"\n"
            f"school:\n  name: \"Basisschool De Regenboog\"\n  city: Mechelen\nmentors: [mentor-an]\n"
            f"coach: coach-koen\nstart: 2017-08-28\ntags: [werkplekleren]\n---\n\n# Over mij\n\n{_text(rng, 2)}")


def _reflection(index, ids, folder, entry_id, rng):
    goals = ", ".join(rng.sample(ids["goal"], min(2, len(ids["goal"]))))
    front = (f"type: reflection\ntitle: \"Reflectie {index + 1}: {rng.choice(WORDS)}\"\ndate: {_day(rng)}\n"
             f"model: alact\nwellbeing: {rng.randint(1, 5)}\ngoals: [{goals}]\nevidence: [{rng.choice(ids['evidence'])}]\n"
             f"competences: {_codes(rng)}\ntags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n")
    body = "".join(f"## {step}\n\n{_text(rng, 1)}\n" for step in ("1. Handelen", "2. Terugblikken", "3. Bewustwording"))
    return front, body + f"Zie ook {_link(ids, 'evidence', rng)} en {_link(ids, 'goal', rng)}.\n"


def _goal(index, ids, folder, entry_id, rng):
    front = (f"type: goal\ntitle: \"Leerdoel {index + 1}\"\nwhat: \"{rng.choice(WORDS)} verbeteren\"\n"
             f"why: \"omdat het nodig is\"\nhow: \"door te oefenen\"\nwhen: {_day(rng)}\n"
             f"status: {rng.choice(['open', 'bezig', 'behaald'])}\ncompetences: {_codes(rng)}\n")
    return front, _text(rng, 2)


def _attachment(folder: Path, entry_id: str, suffix: str, rng: random.Random) -> str:
    name = f"{entry_id.rsplit('/', 1)[1]}{suffix}"
    path = folder / entry_id.rsplit("/", 1)[0] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_photo(rng) if suffix == ".jpg" else rng.randbytes(rng.randint(200, 2000)))
    return name


def _photo(rng: random.Random) -> bytes:
    """A real small JPEG: random bytes named .jpg are an image check cannot clean (AT006), so left out."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (rng.randint(16, 64), rng.randint(16, 64)), tuple(rng.randrange(256) for _ in range(3))).save(buffer, "JPEG")
    return buffer.getvalue()


def _task(index, ids, folder, entry_id, rng):
    name = _attachment(folder, entry_id, ".pdf", rng)
    front = (f"type: task\ntitle: \"Taak {index + 1}\"\ndate: {_day(rng)}\n"
             f"kind: {rng.choice(['leertaak', 'functionele-opdracht'])}\ncourse: {COURSES[index % len(COURSES)]}\n"
             f"due: {_day(rng)}\nstatus: {rng.choice(['gepland', 'bezig', 'ingediend', 'afgerond'])}\n"
             f"attachments: [{name}]\ncompetences: {_codes(rng)}\n")
    return front, _text(rng, 2) + f"\nHet [verslag]({name}).\n"


def _evidence(index, ids, folder, entry_id, rng):
    photo = _attachment(folder, entry_id, ".jpg", rng)
    front = (f"type: evidence\ntitle: \"Bewijs {index + 1}\"\ndate: {_day(rng)}\nattachments: [{photo}]\n"
             f"context: \"3de leerjaar\"\npupils_visible: true\nconsent: true\ncompetences: {_codes(rng)}\n")
    return front, _text(rng, 1) + f"\n![foto]({photo})\n"


def _meeting(index, ids, folder, entry_id, rng):
    front = (f"type: meeting\ntitle: \"Overleg {index + 1}\"\ndate: {_day(rng)}\nkind: {rng.choice(MEETINGS)}\n"
             f"participants: [{folder.name}, {rng.choice(PEOPLE)}]\ncompetences: {_codes(rng)}\n")
    return front, _text(rng, 2)


def _evaluation(index, ids, folder, entry_id, rng):
    moment = ("tussentijds", "eind")[index % 2]
    ratings = "".join(
        f"  {code}:\n    self: \"{rng.choice(LEVELS)}\"\n    mentor: \"{rng.choice(LEVELS)}\"\n"
        f"    coach: \"{rng.choice(LEVELS)}\"\n    comment: \"{rng.choice(WORDS)} {rng.choice(WORDS)}\"\n"
        for code in FG[:10]
    )
    front = f"type: evaluation\ntitle: \"Evaluatie {moment}\"\ndate: 2018-01-{20 + index:02d}\nmoment: {moment}\nratings:\n{ratings}"
    return front, _text(rng, 1)


def _feedback(index, ids, folder, entry_id, rng):
    front = (f"type: feedback\ntitle: \"Feedback {index + 1}\"\ndate: {_day(rng)}\n"
             f"on: {rng.choice(ids['reflection'])}\nby: {rng.choice(PEOPLE[:4])}\n")
    return front, _text(rng, 1)


def _mistake(front: str, body: str, rng: random.Random) -> tuple[str, str]:
    choice = rng.randrange(4)
    if choice == 0:
        return front + "competenties: [FG11]\n", body
    if choice == 1:
        return front.replace("title:", "titel:", 1), body
    if choice == 2:
        return front, body + "\n[kwijt](../bewijzen/bestaat-niet.md)\n"
    return front + "status: no\n" if "status:" not in front else front, body


WRITERS = {"reflection": _reflection, "goal": _goal, "task": _task, "evidence": _evidence,
           "meeting": _meeting, "evaluation": _evaluation, "feedback": _feedback}
