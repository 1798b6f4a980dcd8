"""`trialoog review`: the pull-request summary, from the real git history of a temporary repository."""

from __future__ import annotations

import re

import pytest

from trialoog.dutch import long_date
from trialoog.portfolio.load import load_cohort
from trialoog.workflow.review import _evidence_codes, escape
from workflow_helpers import EXAMPLE, STUDENT, commit_all, example_repo, git, trialoog

AS_OF = "2018-03-15"


def pick_student():
    """A student with a goal and a competence without evidence yet (whose group is known)."""
    cohort = load_cohort(EXAMPLE)
    framework = cohort.framework
    for student in cohort.students:
        have = _evidence_codes(framework, student)
        goals = [entry for entry in student.entries if entry.type == "goal"]
        missing = [code for code in framework.codes()
                   if code not in have and (framework.group_of(code) in have or framework.group_of(code) == code)]
        if goals and missing:
            return student, goals[0], missing[0]
    pytest.skip("geen student in de voorbeeldcohorte met een competentie zonder bewijs")


def set_competences(path, codes):
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^competences: \[\]", f"competences: [{', '.join(codes)}]", text, count=1, flags=re.M), encoding="utf-8")


@pytest.fixture(scope="module")
def branch(tmp_path_factory):
    """main: the example cohort; feature: two new reflections and one changed goal (shared: review only reads)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return make_branch(tmp_path_factory.mktemp("review"), monkeypatch)


def make_branch(tmp_path, monkeypatch):
    student, goal, missing = pick_student()
    repo = example_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "twee-reflecties")
    folder = repo / "portfolios" / student.id
    for title, day, codes in (("Rekenles met breuken", "2018-03-12", [missing]),
                              ("Oudercontact in de lente", "2018-03-13", ["FG11"])):
        result = trialoog(monkeypatch, repo, "new", "reflection", title, "--student", student.id, "--date", day)
        assert result.exit_code == 0, result.output
        set_competences(next(folder.glob(f"reflecties/{day}-*.md")), codes)
    goal_path = folder / f"{goal.id}.md"
    old_status = goal.model.status
    new_status = "behaald" if old_status != "behaald" else "bezig"
    text = goal_path.read_text(encoding="utf-8")
    goal_path.write_text(re.sub(r"^status: \S+", f"status: {new_status}", text, count=1, flags=re.M), encoding="utf-8")
    commit_all(repo, "Twee reflecties en een leerdoel bijgewerkt")
    return repo, student, goal, missing, (old_status, new_status)


def entry_rows(markdown):
    return [line for line in markdown.splitlines()
            if re.match(r"^\| (nieuw|gewijzigd|hernoemd|verwijderd)", line)]


def test_lists_exactly_the_two_reflections_and_the_goal(branch, monkeypatch):
    repo, student, goal, missing, (old, new) = branch
    result = trialoog(monkeypatch, repo, "review", "--base", "main", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("<!-- trialoog: overzicht voor de mentor -->\n## Portfolio's in deze wijziging\n\n")
    # Written for the mentor: no commit hashes, no command names, no branch names.
    assert "HEAD" not in out and "trialoog check" not in out and "`main" not in out
    assert re.findall(r"^### .*$", out, flags=re.M) == [f"### {student.profile_model.name} (`{student.id}`)"]
    assert entry_rows(out) == [
        f"| nieuw | Rekenles met breuken | reflectie | 12 maart 2018 | {missing} |",
        "| nieuw | Oudercontact in de lente | reflectie | 13 maart 2018 | FG11 |",
        f"| gewijzigd (status: {old} → {new}) | {escape(goal.model.title)} | leerdoel | {long_date(goal.model.date) if goal.model.date else '—'} | {', '.join(goal.model.competences)} |",
    ]
    title = load_cohort(EXAMPLE).framework.get(missing).title
    assert f"**Eerste bewijs voor:** {missing} ({title})." in out


def test_milestones_before_and_after(branch, monkeypatch):
    repo = branch[0]
    out = trialoog(monkeypatch, repo, "review", "--base", "main", "--as-of", AS_OF).output
    assert "| Mijlpaal | Uiterste datum | Voor → na | Wat verandert |" in out
    counts = [(int(a), int(b)) for a, b in re.findall(r"reflecties: (\d+) → (\d+) van", out)]
    assert counts and all(after == before + 2 for before, after in counts)
    assert re.search(r"\| \d+% → \d+%", out)


def test_diagnostics_only_in_the_changed_files(branch, monkeypatch):
    repo, student = branch[0], branch[1]
    out = trialoog(monkeypatch, repo, "review", "--base", "main", "--as-of", AS_OF).output
    problems = [line for line in out.splitlines() if line.startswith("- `")]
    assert len(problems) == 1
    assert re.match(rf"- `portfolios/{student.id}/reflecties/2018-03-13-oudercontact-in-de-lente\.md:\d+:\d+` RF001 "
                    r"onbekende competentie 'FG11'", problems[0])


def test_preview_links_with_a_site_url(branch, monkeypatch):
    repo, student = branch[0], branch[1]
    out = trialoog(monkeypatch, repo, "review", "--base", "main", "--site-url", "https://portfolio.example.org/",
                   "--as-of", AS_OF).output
    assert f"[Rekenles met breuken](https://portfolio.example.org/{student.id}/reflecties/2018-03-12-rekenles-met-breuken.html)" in out
    assert f"(https://portfolio.example.org/{student.id}/index.html)" in out


def test_head_ref_and_a_base_that_moved_on(branch, monkeypatch):
    """Like `base...head`: changes on main after the branch point are not the branch's."""
    repo = branch[0]
    git(repo, "checkout", "-q", "main")
    (repo / "portfolios" / STUDENT / "reflecties" / "2018-03-14-later-op-main.md").write_text(
        "---\ntype: reflection\ntitle: Later op main\ndate: 2018-03-14\n---\nTekst\n", encoding="utf-8")
    commit_all(repo, "Intussen op main")
    out = trialoog(monkeypatch, repo, "review", "--base", "main", "--head", "twee-reflecties", "--as-of", AS_OF).output
    assert "Later op main" not in out and len(entry_rows(out)) == 3


def test_renamed_and_deleted_entries(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    folder = repo / "portfolios" / STUDENT / "reflecties"
    first, second = sorted(folder.glob("*.md"))[:2]
    git(repo, "mv", str(first), str(folder / "hernoemd.md"))
    git(repo, "rm", "-q", str(second))
    commit_all(repo, "Opgeruimd")
    out = trialoog(monkeypatch, repo, "review", "--base", "HEAD~1", "--as-of", AS_OF).output
    rows = entry_rows(out)
    assert rows[0].startswith(f"| hernoemd (was `reflecties/{first.stem}`) |")
    assert rows[1].startswith("| verwijderd |") and len(rows) == 2


def test_nothing_touched_and_bad_refs(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    (repo / "LEESMIJ.md").write_text("Hallo\n", encoding="utf-8")
    commit_all(repo, "Leesmij")
    quiet = trialoog(monkeypatch, repo, "review", "--base", "HEAD~1")
    assert quiet.exit_code == 0
    assert "Deze wijziging raakt geen portfolio van een student in `portfolios/`." in quiet.output
    bad = trialoog(monkeypatch, repo, "review", "--base", "origin/main")
    assert bad.exit_code == 2
    assert "Fout: onbekende commit of branch 'origin/main'" in bad.output


def test_config_change_is_announced(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    config = repo / "portfolios" / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsite_url: https://p.example.org\n", encoding="utf-8")
    commit_all(repo, "site_url")
    out = trialoog(monkeypatch, repo, "review", "--base", "HEAD~1").output
    assert "**portfolio.yml is gewijzigd.**" in out


# ---- student text is shown, never acted on ----------------------------------------------------------

EVIL = ("![pixel](https://evil.example/p.png) [inloggen](https://evil.example/login) **✓ GOEDGEKEURD** "
        "@mentor-an <img src=x onerror=alert(1)> https://evil.example www.evil.example :white_check_mark: "
        "$\\\\color{green}{OK}$ | kolom ~~weg~~ &#64;iemand")


def test_student_text_is_escaped_in_the_review(tmp_path, monkeypatch):
    """A student's PR tries to put images, links, a fake approval and @mentions in the mentor's comment."""
    import html

    import markdown

    repo = example_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "aanval")
    folder = repo / "portfolios" / STUDENT
    (folder / "reflecties" / "aanval.md").write_text(
        f'---\ntype: reflection\ntitle: "{EVIL}\\n## ✓ Goedgekeurd door de mentor"\ndate: 2018-03-12\n'
        f'competences: ["[FG1](https://evil.example)", "@coach"]\nmodel: "{EVIL}"\n---\nTekst\n', encoding="utf-8")
    (folder / "bewijzen" / "foto`) @mentor-an ![i](https:evil.example).jpg").write_bytes(b"\xff\xd8")
    commit_all(repo, "Aanval")

    out = trialoog(monkeypatch, repo, "review", "--base", "main", "--as-of", AS_OF).output
    rendered = markdown.markdown(out, extensions=["tables"])
    assert "<img" not in rendered and "<a " not in rendered and "<strong>✓" not in rendered
    assert "<h2>✓" not in rendered and "<del>" not in rendered and "## ✓ Goedgekeurd" not in out.split("\n### ")[0]
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    outside_code = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<code>.*?</code>", "", rendered)))
    assert "@mentor-an" not in outside_code and "@coach" not in outside_code and "@\u200bmentor-an" in text
    assert "<code>bewijzen/foto`) @mentor-an ![i](https:evil.example).jpg</code>" in rendered  # GitHub mentions no one in code
    # Python-Markdown drops the backslash only before some characters; CommonMark (GitHub) before all.
    as_github_shows = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    title = EVIL.replace("\\\\", "\\").replace("@", "@\u200b")  # as YAML reads it; the invisible space after @
    assert f"{title} ## ✓ Goedgekeurd door de mentor" in as_github_shows  # shown as written
    assert "&#64;iemand" in text  # an entity a student wrote stays text
    rows = [line for line in out.splitlines() if line.startswith("| nieuw |")]
    assert len(rows) == 1 and rows[0].count(" | ") == 4  # the | in the title does not add a column
    assert re.search(r"^### ", out, flags=re.M).start() == out.index("### ")  # one heading: the student's
    assert len(re.findall(r"^#", out, flags=re.M)) == 2  # "## Portfolio's …" and "### <student>"


@pytest.mark.parametrize("written, shown", [
    ("Week 1: start", "Week 1: start"),
    ("a_b*c*", "a\\_b\\*c\\*"),
    ("mail juf@school.be", "mail juf@&#8203;school.be"),
    ("https://x.org", "https\\://x.org"),
    ("www.x.org", "www\\.x.org"),
    ("regel\neen\u2028twee", "regel een twee"),
    ("A & B", "A &amp; B"),
])
def test_escape_as_text(written, shown):
    assert escape(written) == shown


@pytest.mark.parametrize("written, shown", [
    ("reflecties/x", "`reflecties/x`"),
    ("a`b", "``a`b``"),
    ("`", "`` ` ``"),
    ("a|b", "`a\\|b`"),
])
def test_escape_as_code(written, shown):
    assert escape(written, code=True) == shown


# ---- written for the mentor, in the pull request ------------------------------------------------------

def test_a_hard_week_is_mentioned_with_care_and_links_only_go_to_the_preview(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    config = repo / "portfolios" / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsite_url: https://gepubliceerd.example.org\n", encoding="utf-8")
    commit_all(repo, "site_url")
    git(repo, "checkout", "-q", "-b", "zware-week")
    trialoog(monkeypatch, repo, "new", "reflection", "Een <b>zware</b> week", "--student", STUDENT, "--date", "2018-03-14")
    path = next((repo / "portfolios" / STUDENT / "reflecties").glob("2018-03-14-*.md"))
    path.write_text(re.sub(r"^wellbeing:.*$", "wellbeing: 2", path.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    commit_all(repo, "Zware week")
    out = trialoog(monkeypatch, repo, "review", "--base", "main", "--as-of", AS_OF).output
    assert "> In de reflectie ‘Een \\<b\\>zware\\</b\\> week’ beschrijft " in out  # the title escaped
    assert "een zware week (welbevinden 2 op 5). Misschien goed om daar even naar te vragen, los van de beoordeling." in out
    assert "gepubliceerd.example.org" not in out  # new pages do not exist on the published site yet
    artifact = "https://github.com/o/r/actions/runs/1/artifacts/2"
    download = trialoog(monkeypatch, repo, "review", "--base", "main", "--download-url", artifact).output
    assert f"De site met deze wijziging: [downloaden]({artifact})" in download
