"""The site engine behind one small interface: a config file in, a static site out.

MkDocs 1.6 + Material 9 is the default and runs in-process through its Python API,
the way its own CLI calls it. Zensical, Material's successor, reads the same
mkdocs.yml and runs as its CLI. Switching engine is a setting, not a rewrite.
"""

from __future__ import annotations

import contextlib
import filecmp
import importlib.util
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator, Mapping, Protocol

from trialoog.errors import TrialoogError
from trialoog.site.finish import Finishing, finish_page, finish_site

# Material 9.7+ prints an end-of-life banner when it is imported; the README
# explains the engine choice instead.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class EngineError(TrialoogError):
    """A site could not be built; the message is Dutch and names the cause (exit 1)."""


class Engine(Protocol):
    name: str

    def build(self, config_file: Path, site_dir: Path, finishing: Finishing | None = None,
              pages: Mapping[str, str] | None = None) -> int:
        """Build the site that `config_file` describes into `site_dir` (replacing it): the docs
        folder's files and `pages` (docs path -> Markdown, kept in memory by the caller), and with
        `finishing` every page finished as it says (trialoog.site.finish). Returns the bytes that
        linking the shared assets instead of copying them saved."""


class MkDocsEngine:
    name = "mkdocs"

    def build(self, config_file: Path, site_dir: Path, finishing: Finishing | None = None,
              pages: Mapping[str, str] | None = None) -> int:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        plugin = _InEngine(finishing, pages or {})
        with _collect_mkdocs_errors() as errors:
            try:
                config = load_config(config_file=str(config_file), site_dir=str(site_dir))
                _keep_compiled_templates(config.theme)
                config.plugins["trialoog"] = plugin.plugin()
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    build(config)
                finally:
                    config.plugins.on_shutdown()
            except MkDocsException as failure:  # Abort, ConfigurationError, BuildError
                details = "; ".join(errors) or str(failure)
                raise EngineError(f"MkDocs kon {config_file} niet bouwen: {details}") from failure
        return plugin.saved


class _InEngine:
    """What Trialoog does inside a MkDocs build (a plugin added to the config), so that no page
    is written twice: its pages come from memory, theme assets that the shared folder holds byte
    for byte are not copied into the site (the theme's `url` filter points at the shared copy,
    where trialoog.site.assets.relink would point afterwards), and each page is finished
    (trialoog.site.finish) before MkDocs writes it."""

    def __init__(self, finishing: Finishing | None, pages: Mapping[str, str]) -> None:
        self.finishing = finishing
        self.pages = pages
        self.shared: set[str] = set()
        self.saved = 0

    def plugin(self):
        from mkdocs.plugins import BasePlugin

        owner = self

        class Trialoog(BasePlugin):
            def on_files(self, files, config):
                files = owner.with_pages(files, config)
                owner.leave_out_shared(files, config)
                return files

            def on_env(self, env, config, files):
                env.filters["url"] = owner.shared_url(env.filters["url"])
                return env

            def on_post_page(self, output, page, config):
                if owner.finishing is None:
                    return output
                return finish_page(output, page.file.dest_uri, owner.finishing, frozenset())  # URLs are right already

        return Trialoog()

    def with_pages(self, files, config):
        """The docs folder's files and the pages from memory, in the order MkDocs lists a docs
        folder (the search index and the pages outside the navigation follow it), then the theme's."""
        from mkdocs.structure.files import File, Files, file_sort_key

        docs = [file for file in files if file.src_dir == config.docs_dir]
        docs += [File.generated(config, path, content=text) for path, text in self.pages.items()]
        theme = [file for file in files if file.src_dir != config.docs_dir]
        return Files(sorted(docs, key=file_sort_key) + theme)

    def shared_url(self, url_filter):
        """The theme's `url` filter, one folder further up for a shared asset: a student's site
        sits one folder below the shared assets."""
        from jinja2 import pass_context

        @pass_context
        def url(context, value):
            normal = url_filter(context, value)
            path = str(value).split("#", 1)[0].split("?", 1)[0]
            return "../" + normal if path in self.shared else normal

        return url

    def leave_out_shared(self, files, config) -> None:
        shared_assets = self.finishing.shared_assets if self.finishing is not None else None
        if shared_assets is None:
            return
        for file in list(files):
            if file.src_dir == config.docs_dir or not file.dest_uri.startswith("assets/") or file.abs_src_path is None:
                continue  # the student's own files, and whatever is not a theme asset, stay
            if _same_bytes(Path(file.abs_src_path), shared_assets / file.dest_uri.removeprefix("assets/")):
                files.remove(file)
                self.shared.add(file.dest_uri)
                self.saved += os.path.getsize(file.abs_src_path)


def write_pages(docs: Path, pages: Mapping[str, str]) -> None:
    """Write pages kept in memory into the docs folder, for an engine (or a reader) that needs files."""
    for path, text in pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


_SAME: dict[tuple, bool] = {}  # (both files' paths, sizes and times) -> identical: a worker compares each theme file once


def _same_bytes(source: Path, shared: Path) -> bool:
    try:
        one, other = source.stat(), shared.stat()
    except OSError:
        return False
    key = (str(source), str(shared), one.st_size, one.st_mtime_ns, other.st_size, other.st_mtime_ns)
    if key not in _SAME:
        _SAME[key] = one.st_size == other.st_size and filecmp.cmp(source, shared, shallow=False)
    return _SAME[key]


class _CompiledTemplates:
    """A Jinja bytecode cache in memory, shared by every MkDocs build of this process.

    MkDocs makes a new Jinja environment for each build and compiles the theme's templates again
    (a sixth of building one student's site); a worker that builds many sites compiles them once.
    Jinja checks each template's source against the cached code, so a changed theme is compiled anew.
    """

    def __init__(self) -> None:
        import jinja2

        class InMemory(jinja2.BytecodeCache):
            store: dict[str, bytes] = {}

            def load_bytecode(self, bucket) -> None:
                if bucket.key in self.store:
                    bucket.bytecode_from_string(self.store[bucket.key])

            def dump_bytecode(self, bucket) -> None:
                self.store[bucket.key] = bucket.bytecode_to_string()

        self.cache = InMemory()
        self.listings: dict[tuple[str, ...], list[str]] = {}  # the theme folders' files, see _listed


def _listed(environment):
    """`environment.list_templates`, with the theme folders walked once per process.

    MkDocs lists every file of the theme folders on each build to find the static files it copies;
    Material holds thousands (its icons), a tenth of building one student. A process builds with
    one theme, so the listing is kept; a file added to the theme while `trialoog serve` runs is
    picked up when serve starts again."""
    loader = environment.loader
    key = tuple(str(path) for path in getattr(loader, "searchpath", ()))

    def list_templates(extensions=None, filter_func=None):
        assert _COMPILED is not None
        if not key:
            return type(environment).list_templates(environment, extensions, filter_func)
        names = _COMPILED.listings.get(key)
        if names is None:
            names = _COMPILED.listings[key] = loader.list_templates()
        if extensions is not None:
            return [name for name in names if "." in name and name.rsplit(".", 1)[1] in extensions]
        return [name for name in names if filter_func is None or filter_func(name)]

    return list_templates


_COMPILED: _CompiledTemplates | None = None


def _keep_compiled_templates(theme) -> None:
    global _COMPILED
    _COMPILED = _COMPILED or _CompiledTemplates()
    make_environment = theme.get_env

    def get_env():
        environment = make_environment()
        environment.bytecode_cache = _COMPILED.cache
        environment.list_templates = _listed(environment)
        return environment

    theme.get_env = get_env


@contextlib.contextmanager
def _collect_mkdocs_errors() -> Iterator[list[str]]:
    """Silence MkDocs' info and warnings; keep its error messages for the EngineError."""
    errors: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            errors.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler = Collect(level=logging.ERROR)
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    try:
        yield errors
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


class ZensicalEngine:
    name = "zensical"
    # Zensical only writes inside the folder of its config file, so it builds
    # into this sibling folder and the result is moved to `site_dir`.
    _local_site = ".zensical-site"
    _wrapper = ".zensical.yml"

    @staticmethod
    def command() -> list[str] | None:
        """How to run Zensical here, or None when it is not installed."""
        if importlib.util.find_spec("zensical") is not None:
            return [sys.executable, "-m", "zensical"]
        found = shutil.which("zensical")
        return [found] if found else None

    def build(self, config_file: Path, site_dir: Path, finishing: Finishing | None = None,
              pages: Mapping[str, str] | None = None) -> int:
        command = self.command()
        if command is None:
            raise EngineError(
                "Zensical is niet geïnstalleerd: installeer het met "
                "`pip install 'trialoog[zensical]'` of bouw met --engine mkdocs."
            )
        project = config_file.parent
        write_pages(project / "docs", pages or {})  # Zensical reads files only (docs_dir: docs, see builder.write_site_config)
        wrapper = project / self._wrapper
        wrapper.write_text(
            f"INHERIT: {config_file.name}\nsite_dir: {self._local_site}\n", encoding="utf-8"
        )
        result = subprocess.run(
            [*command, "build", "--clean", "--config-file", str(wrapper)],
            cwd=project,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        wrapper.unlink()
        if result.returncode != 0:
            output = (result.stderr or result.stdout).strip().splitlines()
            raise EngineError(f"Zensical kon {config_file} niet bouwen: {' '.join(output[-5:])}")
        _replace_dir(project / self._local_site, site_dir)
        return finish_site(site_dir, finishing) if finishing is not None else 0  # Zensical runs no plugins


def _replace_dir(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), str(target))


ENGINES: dict[str, type[MkDocsEngine] | type[ZensicalEngine]] = {
    MkDocsEngine.name: MkDocsEngine,
    ZensicalEngine.name: ZensicalEngine,
}


def get_engine(name: str) -> Engine:
    try:
        return ENGINES[name]()
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise EngineError(f"onbekende engine '{name}' — kies uit: {known}") from None
