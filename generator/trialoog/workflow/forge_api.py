"""The few REST calls the workflows make on GitHub or GitLab, with urllib and the job's own token.

Read: a pull request's review comments and reviews (GitHub), a merge request's discussions
(GitLab), the files it changes and the web address of the request itself. Write: one comment on
the request, found again by a marker and updated in place (the mentor's summary).

Everything is paginated the way each forge says: GitHub's `Link: <…>; rel="next"`, GitLab's
`x-next-page` header (or its Link header). The API base URL is a parameter, so the tests serve
recorded answers from 127.0.0.1. The token is read from the environment by the CLI, never taken
as an option, so it does not show up in a process list or a shell history.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from trialoog.workflow.gitrepo import WorkflowError

GITHUB, GITLAB = "github", "gitlab"
FORGES = (GITHUB, GITLAB)
PAGE_SIZE = 100
MAX_PAGES = 50  # 5000 comments on one request: more means a loop in someone's pagination
TIMEOUT = 30
# The first line of the mentor's summary comment: how the workflow finds it again to update it, and
# how the feedback import knows it is no one's feedback. An HTML comment, so nobody sees it.
MARKER = "<!-- trialoog: overzicht voor de mentor -->"
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


@dataclass(frozen=True)
class Forge:
    kind: str  # github | gitlab
    api: str  # e.g. https://api.github.com or https://gitlab.com/api/v4
    project: str  # GitHub: OWNER/REPO; GitLab: the numeric id or the path (NAMESPACE/PROJECT)
    token: str | None = None

    def request_path(self, number: int) -> str:
        if self.kind == GITHUB:
            return f"/repos/{self.project}/pulls/{number}"
        return f"/projects/{quote(self.project, safe='')}/merge_requests/{number}"


@dataclass(frozen=True)
class PullRequest:
    """What the import needs to know about one pull or merge request."""

    web_url: str | None
    items: list[dict]  # GitHub: review comments, then reviews; GitLab: discussions
    files: list[str]  # repo-relative paths the request changes (new paths)
    head: str | None  # the commit the request's head points at, as the forge sees it


def fetch_pull_request(forge: Forge, number: int) -> PullRequest:
    base = forge.request_path(number)
    request = _get_json(forge, base)
    web_url = request.get("html_url" if forge.kind == GITHUB else "web_url") if isinstance(request, dict) else None
    if forge.kind == GITHUB:
        items = get_pages(forge, f"{base}/comments") + get_pages(forge, f"{base}/reviews")
        files = [item.get("filename") for item in get_pages(forge, f"{base}/files")]
        head = (request.get("head") or {}).get("sha") if isinstance(request, dict) else None
    else:
        items = get_pages(forge, f"{base}/discussions") + _gitlab_approvals(forge, base)
        files = [item.get("new_path") for item in get_pages(forge, f"{base}/diffs")]
        head = request.get("sha") if isinstance(request, dict) else None
    return PullRequest(web_url if isinstance(web_url, str) else None, items,
                       [path for path in files if isinstance(path, str)], head if isinstance(head, str) else None)


def _gitlab_approvals(forge: Forge, base: str) -> list[dict]:
    """GitLab's approvals as review-shaped items (`state: APPROVED`, no text, no commit): its
    discussions only hold a system note. An approval listed here still stands; with "Remove all
    approvals when commits are added" on (README), it is an approval of the request's last commit."""
    data = _get_json(forge, f"{base}/approvals")
    approvers = data.get("approved_by") if isinstance(data, dict) else None
    items = []
    for approver in approvers if isinstance(approvers, list) else []:
        user = approver.get("user") if isinstance(approver, dict) else None
        if isinstance(user, dict) and isinstance(user.get("username"), str):
            items.append({"id": f"goedkeuring-{user['username']}", "user": {"login": user["username"]}, "body": "",
                          "state": "APPROVED", "submitted_at": approver.get("approved_at")})
    return items


def requests_of_commit(forge: Forge, sha: str) -> list[int]:
    """The numbers of the pull or merge requests a commit belongs to (after a merge: the merged one)."""
    if forge.kind == GITHUB:
        found = get_pages(forge, f"/repos/{forge.project}/commits/{sha}/pulls")
        return [item["number"] for item in found if isinstance(item, dict) and isinstance(item.get("number"), int)]
    found = get_pages(forge, f"/projects/{quote(forge.project, safe='')}/repository/commits/{sha}/merge_requests")
    return [item["iid"] for item in found if isinstance(item, dict) and isinstance(item.get("iid"), int)]


# ---- the summary comment ----------------------------------------------------------------------------

COMMENT_LIMIT = 65_000  # GitHub refuses a comment over 65,536 characters; GitLab allows more


def upsert_comment(forge: Forge, number: int, marker: str, body: str) -> str:
    """Create the comment that holds `marker`, or update it when it is there: one comment per request."""
    if len(body) > COMMENT_LIMIT:
        cut = body.rfind("\n### ", 0, COMMENT_LIMIT)
        body = body[: cut if cut > 0 else COMMENT_LIMIT] + "\n\n*Ingekort: het volledige overzicht staat bij de controle (job summary of artefact).*\n"
    if forge.kind == GITHUB:
        listing = f"/repos/{forge.project}/issues/{number}/comments"
        item_path = f"/repos/{forge.project}/issues/comments/{{id}}"
        update = "PATCH"
    else:
        listing = f"{forge.request_path(number)}/notes"
        item_path = f"{forge.request_path(number)}/notes/{{id}}"
        update = "PUT"
    for comment in get_pages(forge, listing):
        if isinstance(comment, dict) and marker in str(comment.get("body") or ""):
            _send(forge, update, item_path.format(id=comment["id"]), {"body": body})
            return "bijgewerkt"
    _send(forge, "POST", listing, {"body": body})
    return "geplaatst"


# ---- HTTP ------------------------------------------------------------------------------------------

def get_pages(forge: Forge, path: str) -> list:
    """Every item of a paginated list, following the forge's own next-page pointer."""
    url: str | None = _url(forge, path, {"per_page": str(PAGE_SIZE)})
    items: list = []
    for _ in range(MAX_PAGES):
        if url is None:
            return items
        data, headers = _call(forge, "GET", url)
        if not isinstance(data, list):
            raise WorkflowError(f"{_shown(url)}: verwacht een lijst, de {_name(forge)}-API gaf {type(data).__name__}")
        items.extend(data)
        url = _next_page(url, headers)
    raise WorkflowError(f"{_shown(path)}: meer dan {MAX_PAGES} pagina's; de paginering lijkt niet te eindigen")


def _get_json(forge: Forge, path: str):
    return _call(forge, "GET", _url(forge, path, {}))[0]


def _send(forge: Forge, method: str, path: str, payload: dict) -> None:
    _call(forge, method, _url(forge, path, {}), json.dumps(payload).encode("utf-8"))


def _url(forge: Forge, path: str, query: dict[str, str]) -> str:
    url = forge.api.rstrip("/") + path
    return f"{url}?{urlencode(query)}" if query else url


def _next_page(url: str, headers) -> str | None:
    for link in headers.get_all("Link") or []:
        found = _NEXT.search(link)
        if found:
            return found.group(1)
    page = (headers.get("x-next-page") or "").strip()
    if page:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query["page"] = page
        return urlunsplit(parts._replace(query=urlencode(query)))
    return None


def _call(forge: Forge, method: str, url: str, body: bytes | None = None):
    headers = {"Accept": "application/vnd.github+json" if forge.kind == GITHUB else "application/json",
               "User-Agent": "trialoog"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if forge.token:
        headers["Authorization" if forge.kind == GITHUB else "PRIVATE-TOKEN"] = (
            f"Bearer {forge.token}" if forge.kind == GITHUB else forge.token)
    if forge.kind == GITHUB:
        headers["X-GitHub-Api-Version"] = "2022-11-28"
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            text = response.read().decode("utf-8", "replace")
            return (json.loads(text) if text.strip() else None), response.headers
    except urllib.error.HTTPError as error:
        raise WorkflowError(_http_problem(forge, method, url, error)) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise WorkflowError(f"{_shown(url)} niet bereikbaar: {reason}; controleer het adres van de API") from None
    except ValueError:
        raise WorkflowError(f"{_shown(url)}: het antwoord is geen JSON; klopt het adres van de API?") from None


def _http_problem(forge: Forge, method: str, url: str, error: urllib.error.HTTPError) -> str:
    """The forge's own message (`{"message": …}` on both, `{"error": …}` on GitLab), and what to check."""
    try:
        data = json.loads(error.read().decode("utf-8", "replace"))
    except ValueError:
        data = None
    message = (data.get("message") or data.get("error")) if isinstance(data, dict) else None
    hint = {401: "het token ontbreekt of is verlopen", 403: "het token mag dit niet (rechten van de job)",
            404: "de repository, het nummer of het token klopt niet"}.get(error.code, "")
    said = f": '{message}'" if isinstance(message, str) else ""
    return f"{method} {_shown(url)} gaf {error.code}{said} van de {_name(forge)}-API" + (f" ({hint})" if hint else "")


def _name(forge: Forge) -> str:
    return "GitHub" if forge.kind == GITHUB else "GitLab"


def _shown(url: str) -> str:
    """A URL without its query (it never holds the token, but keeps the message short)."""
    return url.split("?", 1)[0]
