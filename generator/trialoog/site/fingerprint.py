"""Incremental builds: content hashes per student, and the manifest that remembers them.

Two hashes per student, one inside the other:
- the docs hash covers what Trialoog renders into the student's docs tree: the student's own
  files, the cohort's settings and framework, the base mkdocs.yml, the page templates
  (theme/pages/), the generator's page code and version and the libraries that shape a page
  (Markdown, the sanitiser, Jinja, images, dates), and the audience and date the site is built for;
- the site hash adds what only the engine reads: the rest of theme/ (main.html, the stylesheet,
  the logo), the engine and its packages.
A student whose site hash is in the previous output's manifest is carried over instead of built;
one whose docs hash is in the docs cache (trialoog.site.docs_cache) is not rendered again, only
built by the engine: after a change to the stylesheet, every site is rebuilt from cached docs.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from trialoog import __version__
from trialoog.portfolio.load import BUILD_MANIFEST
from trialoog.site.baseconfig import theme_dir

GENERATOR_DIR = Path(__file__).resolve().parents[1]
# The generator's code that shapes a built page, hashed with every student: a change to it
# rebuilds everyone even before the version number moves. Whole packages, so a new module is
# covered without a list to keep. Checks, output and commands are left out: they decide
# whether a student is built, not what the site shows.
PAGE_CODE = ("__init__.py", "diagnostics.py", "dutch.py", "rules.py", "portfolio", "site")
MANIFEST = BUILD_MANIFEST  # declared where the loader skips folders that hold it
ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "zensical")
# What shapes the docs tree Trialoog renders: the students' Markdown, its cleaning, the page
# templates, the cleaned images, the Dutch dates, the front matter.
RENDER_PACKAGES = ("markdown", "pymdown-extensions", "nh3", "jinja2", "markupsafe", "pillow", "babel", "pyyaml", "pydantic")
PAGE_TEMPLATES = "pages"  # the folder of theme/ with the page templates (trialoog.site.pages)


@dataclass(frozen=True)
class Common:
    """What every student's docs tree, and every student's site, depends on besides the student's own files."""

    docs: str
    site: str


@dataclass(frozen=True)
class Digests:
    docs: str  # the key of the docs cache
    site: str  # the manifest's hash


def common_digest(salt: str, engine: str, base_config: Path, shared_files: Iterable[Path]) -> Common:
    docs = hashlib.sha256(f"{render_code_digest()}\0{salt}\0".encode())
    theme = theme_dir(base_config)
    _hash_files(docs, base_config.parent, [base_config, *files_under(theme / PAGE_TEMPLATES)])
    _hash_files(docs, Path("/"), [p.resolve() for p in shared_files])
    site = hashlib.sha256(f"engine {engine}\0".encode())
    _hash_versions(site, ENGINE_PACKAGES)
    _hash_files(site, base_config.parent, files_under(theme))
    return Common(docs.hexdigest(), site.hexdigest())


@functools.lru_cache(maxsize=1)
def render_code_digest() -> str:
    """The generator's version, its page code and the versions of the libraries that shape a page:
    what a cleaned text depends on besides the text and the parser's configuration
    (trialoog.site.cleaned_texts), and the first part of every docs hash. Once per process: a
    process renders with the code and the libraries it loaded, whatever changes on disk meanwhile."""
    digest = hashlib.sha256(f"trialoog {__version__}\0".encode())
    _hash_versions(digest, RENDER_PACKAGES)
    _hash_files(digest, GENERATOR_DIR, _page_code())
    return digest.hexdigest()


def _hash_versions(digest: Any, packages: Iterable[str]) -> None:
    for package in packages:
        digest.update(f"{package} {_version_of(package)}\0".encode())


def _page_code() -> list[Path]:
    found = []
    for name in PAGE_CODE:
        path = GENERATOR_DIR / name
        found.extend(files_under(path) if path.is_dir() else [path] if path.is_file() else [])
    return found


def student_digests(common: Common, folder: Path) -> Digests:
    docs = hashlib.sha256(common.docs.encode())
    _hash_files(docs, folder, files_under(folder))
    docs_digest = docs.hexdigest()
    return Digests(docs_digest, hashlib.sha256(f"{common.site}\0{docs_digest}".encode()).hexdigest())


def files_under(folder: Path) -> list[Path]:
    """Every file below `folder` except hidden ones (a student folder may be its own git repo)."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(folder).parts)
    )


def _hash_files(digest: Any, root: Path, files: Iterable[Path]) -> None:
    for path in files:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        content = path.read_bytes()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)


def _version_of(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def read_manifest(out: Path) -> dict[str, str]:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))["students"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(stage: Path, hashes: dict[str, str], audience: str = "", shard: str | None = None) -> None:
    # The audience lets a later build refuse to mix an evaluation site into a student output;
    # the shard ("2/4") lets `trialoog merge` check that it has every part of one split.
    manifest: dict[str, Any] = {"generator": f"trialoog {__version__}", "audience": audience}
    if shard is not None:
        manifest["shard"] = shard
    manifest["students"] = dict(sorted(hashes.items()))
    (stage / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    # Static hosts that run Jekyll (GitHub Pages) would hide folders starting with "_".
    (stage / ".nojekyll").write_text("", encoding="utf-8")
