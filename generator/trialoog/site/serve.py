"""`trialoog serve`: preview one student's site on 127.0.0.1, rebuilt whenever a file is saved.

The preview never just disappears: when the student's site cannot be built (a broken
portfolio.yml, an entry with errors that keeps the student out of the build), every address
answers with a Dutch page that lists the problems and reloads itself, until a save fixes them.
The site is built in a temporary folder that is removed however serve stops: Ctrl+C, or a
SIGTERM from a terminal that closes or a process manager.
"""

from __future__ import annotations

import errno
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jinja2
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from trialoog.errors import TrialoogError, UsageError, os_reason
from trialoog.output.formats import diagnostic_line, display_path, printable
from trialoog.portfolio.load import load_cohort
from trialoog.site.baseconfig import theme_dir
from trialoog.site.build import build_cohort

QUIET_SECONDS = 0.5  # editors save in bursts: wait until they are done
RELOAD_SECONDS = 2  # how often the problem page looks again
TEMPLATE = "voorbeeld-melding.html"
NOT_FOUND = "Pagina niet gevonden"
# The status line is latin-1 (http.server): Dutch without accents.
REASONS = {400: "Ongeldige aanvraag", 403: "Geen toegang", 404: "Niet gevonden", 405: "Methode niet toegestaan",
           501: "Niet ondersteund", 503: "Voorbeeld niet beschikbaar"}


class Preview:
    """What the server shows: the built site, or (after a failed build) the page with its problems."""

    def __init__(self, root: Path, student: str) -> None:
        self.root = root
        self.student = student
        self.problem: str | None = None  # the HTML page shown for every address while set
        self.lock = threading.Lock()  # one rebuild at a time; stopping waits for the running one
        self.stopped = False  # set under the lock when serve stops: a late rebuild writes nothing

    def rebuild(self, build: Callable[[Callable[[str], object]], object], echo: Callable[[str], object] = print) -> None:
        """Run `build` (given an echo); keep its output lines to show them when the student is not built."""
        lines: list[str] = []

        def recording(line: str) -> None:
            lines.append(str(line))
            echo(line)

        with self.lock:
            if self.stopped:
                return
            try:
                summary = build(recording)
            except TrialoogError as error:
                shown = [diagnostic_line(d, error.root) for d in error.diagnostics] or [f"Fout: {error.message}"]
                self.problem = problem_page(self.student, shown)
                raise
            built = (self.root / self.student / "index.html").is_file()
            failure = getattr(summary, "failure", None)
            self.problem = None if built and not failure else problem_page(self.student, lines)


def serve(path: Path, student: str | None, port: int, echo=print, report=print) -> int:
    """Build `student`'s site, serve it and rebuild on every save; `report` shows an error of a rebuild."""
    ids = [s.id for s in load_cohort(path).students]
    student = student or (ids[0] if ids else None)
    if student not in ids:
        raise UsageError(f"geen student '{printable(str(student))}' in {display_path(str(path))}")
    with _stopped_by_signals(), tempfile.TemporaryDirectory(prefix="trialoog-serve-") as folder:
        preview = Preview(Path(folder) / "site", student)
        server = _server(preview, port)  # first: a port in use is reported before a long build
        watcher: BaseObserver | None = None
        debounced: _Debounced | None = None

        rebuild = _reporting(
            lambda: preview.rebuild(lambda recording: build_cohort(path, preview.root, student=student, jobs=1, echo=recording), echo),
            report,
        )

        try:
            rebuild()
            debounced = _Debounced(rebuild)
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
            server.server_close()
            with preview.lock:  # a rebuild that is still writing finishes before its folder goes
                preview.stopped = True
    return 0


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
        title=f"Het voorbeeld van {student} kan niet gebouwd worden",
        explanation=("Los de problemen hieronder op en bewaar het bestand: deze pagina kijkt elke "
                     f"{RELOAD_SECONDS} seconden opnieuw en toont de site zodra ze gebouwd is."),
        lines=[printable(line) for line in lines], reload=RELOAD_SECONDS, home=None,
    )


def _render(**values) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(theme_dir() / "serve"), autoescape=True,
                                     trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return environment.get_template(TEMPLATE).render(**values)


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
            # The site folder is swapped by each rebuild, so resolve it per request.
            super().__init__(*args, directory=str(preview.root), **kwargs)

        def send_head(self):
            if preview.problem is not None:
                self._page(503, preview.problem)
                return None
            return super().send_head()

        def send_error(self, code, message=None, explain=None):
            if code == 404:
                page = _render(title=NOT_FOUND, explanation=f"Het adres {self.path} bestaat niet in dit voorbeeld.",
                               lines=[], reload=None, home=f"/{preview.student}/")
            else:
                reason = REASONS.get(code, "Fout")
                page = _render(title=reason, explanation=f"De server kan deze aanvraag niet beantwoorden ({code}).",
                               lines=[], reload=None, home=f"/{preview.student}/")
            self._page(code, page)

        def _page(self, code: int, page: str) -> None:
            body = page.encode("utf-8")
            self.send_response(code, REASONS.get(code))
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    try:
        return ThreadingHTTPServer(("127.0.0.1", port), Handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"poort {port} is al in gebruik (door een ander voorbeeld of programma): "
                             "stop dat programma of kies een andere poort met --port, bijvoorbeeld --port 0 voor een vrije") from None
        raise UsageError(f"kan niet luisteren op 127.0.0.1:{port}: {os_reason(error)}; kies een andere poort met --port") from None


class _Debounced(FileSystemEventHandler):
    def __init__(self, action):
        self.action = action
        self.timer: threading.Timer | None = None

    def on_any_event(self, event):
        if event.event_type in ("opened", "closed_no_write") or "/.git" in event.src_path:
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
    observer.schedule(handler, str(path), recursive=True)
    observer.daemon = True
    observer.start()
    return observer
