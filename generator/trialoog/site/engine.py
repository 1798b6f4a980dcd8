"""The site engine behind one small interface: a config file in, a static site out.

MkDocs 1.6 + Material 9 is the default and runs in-process through its Python API,
the way its own CLI calls it. Zensical, Material's successor, reads the same
mkdocs.yml and runs in-process too, through the function its CLI calls. Switching
engine is a setting, not a rewrite.
"""

from __future__ import annotations

import contextlib
import filecmp
import importlib
import importlib.util
import itertools
import logging
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Iterator, Mapping, Protocol

import yaml

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
    """Zensical, in the building process itself, through the function its own CLI calls.

    A subprocess per site cost half a second of CPU before the first page (Python and Zensical
    starting, the config read again); in-process, a worker pays Zensical's imports once. Zensical
    reads the generated mkdocs.yml as it is; it only writes inside the folder of its config file,
    so a wrapper config there names a sibling folder, and the result is moved to `site_dir`.
    Each site is built in a new folder, so Zensical's cache (`.cache` beside the config) is empty
    and every page is built: no `clean` needed.
    """

    name = "zensical"
    _local_site = ".zensical-site"
    _wrapper = ".zensical.yml"

    @staticmethod
    def command() -> list[str] | None:
        """How to run Zensical's CLI here, or None when it is not installed beside Trialoog (the
        extra `zensical`): the engine imports it, so a `zensical` elsewhere on PATH does not count."""
        if importlib.util.find_spec("zensical") is not None:
            return [sys.executable, "-m", "zensical"]
        return None

    def build(self, config_file: Path, site_dir: Path, finishing: Finishing | None = None,
              pages: Mapping[str, str] | None = None) -> int:
        zensical = _import_zensical()
        project = config_file.parent
        write_pages(project / "docs", pages or {})  # Zensical reads files only (docs_dir: docs, see builder.write_site_config)
        wrapper = project / self._wrapper
        wrapper.write_text(self._wrapper_config(config_file), encoding="utf-8")
        try:
            with _ZENSICAL_LOCK, _captured_output() as output, _without_link_report(zensical):
                try:
                    zensical.build(str(wrapper.resolve()), {"clean": False, "strict": False})
                except BaseException as failure:
                    if isinstance(failure, (KeyboardInterrupt, SystemExit)):
                        raise
                    # ConfigurationError (a click exception), RuntimeError (a page's Python error,
                    # its traceback inside the message), or a panic of Zensical's Rust core.
                    details = _first_line(failure) or _last_lines(output)
                    shutil.rmtree(project / self._local_site, ignore_errors=True)  # the pages it got to
                    raise EngineError(f"Zensical kon {config_file} niet bouwen: {details}") from None
        finally:
            wrapper.unlink(missing_ok=True)
        _replace_dir(project / self._local_site, site_dir)
        return finish_site(site_dir, finishing) if finishing is not None else 0  # Zensical runs no plugins

    def _wrapper_config(self, config_file: Path) -> str:
        """The generated config as MkDocs reads it, with the site in Zensical's reach.

        One difference in reading is settled here: a config's `plugins` list replaces the one it
        inherits in MkDocs, while Zensical appends the two lists and turns search on whenever it is
        not switched off. A site without the search plugin (the overview: `plugins: []`) would get
        a search box over an empty index; the wrapper switches Zensical's search off for it."""
        lines = [f"INHERIT: {config_file.name}", f"site_dir: {self._local_site}"]
        if "search" not in _mkdocs_plugins(config_file):
            lines += ["plugins:", "  search:", "    enabled: false"]
        return "\n".join(lines) + "\n"


def _mkdocs_plugins(config_file: Path, depth: int = 0) -> set[str]:
    """The names of the plugins MkDocs would load for `config_file`: its own `plugins`, else the
    inherited ones, else MkDocs' default (search). A file that cannot be read says search, so
    nothing is switched off that MkDocs would show; Zensical reports the file itself."""
    try:
        config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeError, yaml.YAMLError):
        return {"search"}
    if not isinstance(config, dict):
        return {"search"}
    if "plugins" in config:
        plugins = config["plugins"] or []
        entries = plugins if isinstance(plugins, list) else [plugins]
        names = {name for entry in entries for name in (entry if isinstance(entry, dict) else [entry])}
        return {str(name).removeprefix("material/") for name in names}
    parent = config.get("INHERIT")
    if isinstance(parent, str) and depth < 10:
        return _mkdocs_plugins((config_file.parent / parent).resolve(), depth + 1)
    return {"search"}


# Zensical keeps the parsed config of the build in progress in a module global: one build at a time
# per process (the builder runs sites in processes; `trialoog serve` builds in a thread).
_ZENSICAL_LOCK = threading.Lock()


def _import_zensical():
    try:
        import zensical
    except ImportError:
        raise EngineError(
            "Zensical is niet geïnstalleerd: installeer het met "
            "`pip install 'trialoog[zensical]'` of bouw met --engine mkdocs."
        ) from None
    return zensical


@contextlib.contextmanager
def _captured_output() -> Iterator[IO[bytes] | None]:
    """Zensical's core prints its progress and its link report to file descriptors 1 and 2
    itself (not through sys.stdout); keep them in a file, for the message if the build fails."""
    with tempfile.TemporaryFile() as sink:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None without a console (pythonw)
                stream.flush()
        try:
            saved = [os.dup(1), os.dup(2)]
        except OSError:  # no standard streams at all: nothing to keep quiet
            yield None
            return
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield sink
        finally:
            for number, original in enumerate(saved, 1):
                os.dup2(original, number)
                os.close(original)


def _first_line(failure: BaseException) -> str:
    message = getattr(failure, "message", None) or str(failure)
    return " ".join(message.strip().splitlines()[:1])


def _last_lines(output: IO[bytes] | None) -> str:
    if output is None:
        return ""
    output.seek(0)
    lines = output.read().decode("utf-8", "replace").strip().splitlines()
    return " ".join(line.strip() for line in lines[-5:])


# The Zensical versions whose link report is known to be only a report (see _without_link_report).
_LINK_REPORT_ONLY = ((0, 0, 73), (0, 1, 0))


@contextlib.contextmanager
def _without_link_report(zensical) -> Iterator[None]:
    """Skip Zensical's scan of every page's Markdown for links, which only feeds its report of
    broken links (its "issues"; the links themselves are rewritten from the HTML).

    The scan is pure Python, byte by byte: a third of a Zensical site's CPU time on Trialoog's
    pages, which are mostly HTML. Trialoog throws the report away (`trialoog check` reports broken
    links in Dutch, with file and line), so the scan is replaced by one that finds nothing, for the
    versions where that is known to change no byte of the site (tests/site/test_engine_equivalence.py
    compares a build with the scan and one without)."""
    collectors = sys.modules.get("zensical.collectors") or importlib.import_module("zensical.collectors")
    low, high = _LINK_REPORT_ONLY
    if not (low <= _version(zensical.version()) < high) or not hasattr(collectors, "references"):
        yield
        return
    scan = getattr(collectors, "references")
    setattr(collectors, "references", _no_references)
    try:
        yield
    finally:
        setattr(collectors, "references", scan)


def _no_references(markdown: bytes, shift: int = 0) -> Iterator[object]:
    return iter(())


def _version(text: str) -> tuple[int, ...]:
    numbers = []
    for part in text.split("."):
        digits = "".join(itertools.takewhile(str.isdigit, part))
        numbers.append(int(digits or 0))
    return tuple(numbers)


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
