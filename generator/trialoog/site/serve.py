"""`trialoog serve`: preview one student's site on 127.0.0.1, rebuilt and reloaded whenever a file is saved.

A save rebuilds only the student being previewed (trialoog.site.build.build_preview: that student
loaded and checked alone, no overview, no other student), and every open page reloads itself when
the rebuild is done. The reload is ours and exists only here: the server adds a small inline script and,
when the student has errors, a panel with the Dutch diagnostics to every HTML page it sends
(theme/serve/); nothing of it is in the built files, so a normal build never contains it. The
script long-polls VERSION_PATH on this same server, which answers as soon as the next rebuild is
done; no other host is ever asked.

The preview never just disappears: when the student's site cannot be built (a broken
portfolio.yml, an error that keeps the student out of the build), every address answers with a
Dutch page that lists the problems and reloads itself when a save fixes them. Python's own English
error pages and folder listings never show. Each rebuild writes a new folder and the server
switches to it only when it is complete, so a request never sees half a site. Everything lives in
a temporary folder that is removed however serve stops: Ctrl+C, or a SIGTERM from a terminal that
closes or a process manager.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jinja2
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from trialoog.errors import TrialoogError, UsageError, os_reason
from trialoog.output.formats import diagnostic_line, display_path, printable
from trialoog.portfolio.load import load_cohort
from trialoog.site.baseconfig import theme_dir
from trialoog.site.build import PreviewBuild, build_preview

QUIET_SECONDS = 0.1  # editors save in bursts (a temporary file, then a rename): wait until they are done
WAIT_SECONDS = 25  # a long poll answers after this at the latest, so no proxy closes it first
SERVE_PREFIX = "/.trialoog-serve/"  # addresses of the preview itself; a student folder cannot start with a dot
VERSION_PATH = SERVE_PREFIX + "versie"
PAGE_TEMPLATE = "voorbeeld-melding.html"
PANEL_TEMPLATE = "voorbeeld-paneel.html"
NOT_FOUND = "Pagina niet gevonden"
# The status line is latin-1 (http.server): Dutch without accents.
REASONS = {400: "Ongeldige aanvraag", 403: "Geen toegang", 404: "Niet gevonden", 405: "Methode niet toegestaan",
           501: "Niet ondersteund", 503: "Voorbeeld niet beschikbaar"}

Build = Callable[[Path, Path], PreviewBuild]  # (site folder, work folder) -> what was built


class Preview:
    """What the server shows: the latest complete site (with its errors), or the page with the problems."""

    def __init__(self, folder: Path, student: str) -> None:
        self.folder = folder  # holds one site folder per rebuild; the old one goes when the new one is served
        self.student = student
        self.root = folder / "site-0"  # what requests are answered from; switched only to a complete site
        self.problem: str | None = None  # the HTML page shown for every address while set
        self.errors: tuple[str, ...] = ()  # the student's errors: the panel on every page of a built site
        self.seconds = 0.0  # how long the last rebuild took
        self.lock = threading.Lock()  # one rebuild at a time; stopping waits for the running one
        self.stopped = False  # set under the lock when serve stops: a late rebuild writes nothing
        self.changed = threading.Condition()  # notified when `version` moves on
        self._token = secrets.token_hex(4)  # another serve process has other versions: its pages reload
        self._count = 0
        self.builds = 0  # rebuilds done, whatever their outcome

    @property
    def version(self) -> str:
        return f"{self._token}-{self._count}"

    def rebuild(self, build: Build) -> None:
        """Build into a new folder; serve it once it is complete, or the problem page when it cannot be built."""
        with self.lock:
            if self.stopped:
                return
            started = time.monotonic()
            target = self.folder / f"site-{self._count + 1}"
            work = self.folder / f"werk-{self._count + 1}"
            try:
                result = build(target, work)
            except TrialoogError as error:
                self._show_problem([diagnostic_line(d, error.root) for d in error.diagnostics] or [f"Fout: {error.message}"])
                raise
            except OSError as error:  # a file that an editor is still replacing, a full disk
                self._show_problem([f"{error.filename or ''}: {os_reason(error)}".lstrip(": ")])
            except Exception as error:  # noqa: BLE001 — a bug must not end the preview; say it and go on
                self._show_problem([f"interne fout bij het bouwen: {type(error).__name__}: {error}"])
            else:
                if result.built and (target / self.student / "index.html").is_file():
                    old, self.root, self.problem, self.errors = self.root, target, None, result.errors
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    self._show_problem(list(result.errors) or ["de site van deze student werd niet gebouwd"])
            finally:
                shutil.rmtree(work, ignore_errors=True)
                if self.root != target:
                    shutil.rmtree(target, ignore_errors=True)
                self.seconds = time.monotonic() - started
                self.builds += 1
                self._moved_on()

    def _show_problem(self, lines: list[str]) -> None:
        self.problem = problem_page(self.student, lines)

    def _moved_on(self) -> None:
        with self.changed:
            self._count += 1
            self.changed.notify_all()

    def wait_past(self, version: str, seconds: float) -> str:
        """The version once it differs from `version` (a page that is out of date), or after `seconds`."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version or self.stopped, timeout=seconds)
            return self.version

    def stop(self) -> None:
        with self.lock:  # a rebuild that is still writing finishes before its folder goes
            self.stopped = True
        with self.changed:
            self.changed.notify_all()  # long polls answer now instead of holding the server open

    def decorated(self, html: str, errors: tuple[str, ...] | None = None) -> str:
        """A page as served: the reload script and, when the student has errors, the panel that lists them."""
        shown = self.errors if errors is None else errors
        panel = _render(PANEL_TEMPLATE, errors=[printable(line) for line in shown],
                        address=VERSION_PATH, version=self.version)
        at = html.lower().rfind("</body>")
        return html + panel if at < 0 else html[:at] + panel + html[at:]


def serve(path: Path, student: str | None, port: int, echo=print, report=print) -> int:
    """Build `student`'s site, serve it and rebuild on every save; `report` shows an error of a rebuild."""
    cohort = load_cohort(path)
    ids = [s.id for s in cohort.students]
    student = student or (ids[0] if ids else None)
    others = frozenset(s.folder for s in cohort.students if s.id != student)
    if student not in ids:
        raise UsageError(f"geen student '{printable(str(student))}' in {display_path(str(path))}")
    with _stopped_by_signals(), tempfile.TemporaryDirectory(prefix="trialoog-serve-") as folder:
        preview = Preview(Path(folder), student)
        server = _server(preview, port)  # first: a port in use is reported before a long build
        watcher: BaseObserver | None = None
        debounced: _Debounced | None = None

        def build(target: Path, work: Path) -> PreviewBuild:
            return build_preview(path, student, target, work)

        def rebuild() -> None:
            preview.rebuild(build)
            _tell(preview, echo)

        try:
            _reporting(rebuild, report)()
            debounced = _Debounced(_reporting(rebuild, report), others)
            watcher = _watch(path, debounced)
            echo(f"Voorbeeld van {printable(student)}: http://127.0.0.1:{server.server_port}/{student}/  (Ctrl+C om te stoppen)")
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            if watcher is not None:
                watcher.stop()
            if debounced is not None:
                debounced.cancel()
            preview.stop()
            server.server_close()
    return 0


def _tell(preview: Preview, echo: Callable[[str], object]) -> None:
    """One line in the terminal per rebuild; the details are on the page."""
    if preview.problem is not None:
        echo(f"Niet gebouwd na {preview.seconds:.1f} s: het voorbeeld toont de problemen.")
        return
    errors = f", {len(preview.errors)} fout(en): zie het paneel onderaan de pagina" if preview.errors else ""
    again = "Opnieuw gebouwd" if preview.builds > 1 else "Gebouwd"
    echo(f"{again} in {preview.seconds:.1f} s{errors}")


def _reporting(rebuild, report):
    """A rebuild for the watcher thread: an error (say a broken portfolio.yml) is shown, the server goes on."""
    def run():
        try:
            rebuild()
        except TrialoogError as error:
            report(error)
    return run


def problem_page(student: str, lines: list[str]) -> str:
    return _render(
        PAGE_TEMPLATE,
        title=f"Het voorbeeld van {student} kan niet gebouwd worden",
        explanation=("Los de problemen hieronder op en bewaar het bestand: deze pagina laadt vanzelf opnieuw "
                     "en toont de site zodra ze gebouwd is."),
        lines=[printable(line) for line in lines], home=None,
    )


_TEMPLATES: jinja2.Environment | None = None


def _render(template: str, **values) -> str:
    global _TEMPLATES
    _TEMPLATES = _TEMPLATES or jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme_dir() / "serve"), autoescape=True,
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    return _TEMPLATES.get_template(template).render(**values)


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM stops serve as Ctrl+C does, so the `finally` blocks and the temporary folder's
    context manager clean up (Python's default for SIGTERM ends the process without them)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread (a test that serves in a thread)
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, interrupt) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _server(preview: Preview, port: int) -> ThreadingHTTPServer:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            # Each rebuild serves a new folder, so resolve it per request.
            super().__init__(*args, directory=str(preview.root), **kwargs)

        def send_head(self):
            address = urlsplit(self.path)
            if address.path == VERSION_PATH:
                seen = parse_qs(address.query).get("na", [""])[0]
                return self._answer(200, preview.wait_past(seen, WAIT_SECONDS), "text/plain")
            if preview.problem is not None:
                return self._answer(503, preview.decorated(preview.problem, errors=()))  # the page lists them
            if address.path == "/":
                return self._redirect(f"/{preview.student}/")
            page = self._html_file(address.path)
            if page is not None:
                return self._answer(200, preview.decorated(page.read_text(encoding="utf-8")))
            return super().send_head()

        def _html_file(self, address: str) -> Path | None:
            """The HTML page a request asks for (a folder's index.html), which gets the script and panel."""
            local = Path(self.translate_path(address))
            if local.is_dir() and address.endswith("/"):
                local = local / "index.html"
            return local if local.suffix == ".html" and local.is_file() else None

        def list_directory(self, path):
            self.send_error(404)  # Python's listing is English and not part of any site
            return None

        def send_error(self, code, message=None, explain=None):
            home = f"/{preview.student}/"
            if code == 404:
                page = _render(PAGE_TEMPLATE, title=NOT_FOUND, lines=[], home=home,
                               explanation=f"Het adres {printable(self.path)} bestaat niet in dit voorbeeld.")
            else:
                page = _render(PAGE_TEMPLATE, title=REASONS.get(code, "Fout"), lines=[], home=home,
                               explanation=f"De server kan deze aanvraag niet beantwoorden ({code}).")
            self._answer(code, page)

        def _redirect(self, target: str) -> None:
            self.send_response(302, "Gevonden")
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _answer(self, code: int, text: str, kind: str = "text/html") -> None:
            body = text.encode("utf-8")
            self.send_response(code, REASONS.get(code))
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    try:
        server = _Server(("127.0.0.1", port), Handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"poort {port} is al in gebruik (door een ander voorbeeld of programma): "
                             "stop dat programma of kies een andere poort met --port, bijvoorbeeld --port 0 voor een vrije") from None
        raise UsageError(f"kan niet luisteren op 127.0.0.1:{port}: {os_reason(error)}; kies een andere poort met --port") from None
    return server


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a long poll that is still waiting does not hold up stopping

    def handle_error(self, request, client_address) -> None:
        """A browser that leaves (a closed tab during a long poll) is normal; anything else is one
        Dutch line in the terminal, not socketserver's English traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            print(f"Fout bij het beantwoorden van een aanvraag: {type(error).__name__}: {error}", file=sys.stderr)


class _Debounced(FileSystemEventHandler):
    """Runs `action` once a burst of saves is over; saves in `ignored` folders (the other students) do not count."""

    def __init__(self, action, ignored: frozenset[Path] = frozenset()):
        self.action = action
        self.ignored = ignored
        self.timer: threading.Timer | None = None

    def on_any_event(self, event):
        if event.event_type in ("opened", "closed_no_write") or "/.git" in event.src_path:
            return
        if any(Path(os.fsdecode(event.src_path)).is_relative_to(folder) for folder in self.ignored):
            return
        if os.path.basename(event.src_path).startswith(".#"):  # an editor's lock file (Emacs)
            return
        self.cancel()
        self.timer = threading.Timer(QUIET_SECONDS, self.action)
        self.timer.daemon = True
        self.timer.start()

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()


def _watch(path: Path, handler: FileSystemEventHandler) -> BaseObserver:
    observer = Observer()
    observer.schedule(handler, str(Path(path).resolve()), recursive=True)  # the paths the ignored folders have
    observer.daemon = True
    observer.start()
    return observer
