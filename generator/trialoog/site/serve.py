"""`trialoog serve`: preview one student's site on 127.0.0.1, rebuilt whenever a file is saved."""

from __future__ import annotations

import functools
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from trialoog.errors import TrialoogError, UsageError
from trialoog.output.formats import display_path, printable
from trialoog.portfolio.load import load_cohort
from trialoog.site.build import build_cohort

QUIET_SECONDS = 0.5  # editors save in bursts: wait until they are done


def serve(path: Path, student: str | None, port: int, echo=print, report=print) -> int:
    """Build `student`'s site, serve it and rebuild on every save; `report` shows an error of a rebuild."""
    ids = [s.id for s in load_cohort(path).students]
    student = student or (ids[0] if ids else None)
    if student not in ids:
        raise UsageError(f"geen student '{printable(str(student))}' in {display_path(str(path))}")
    with tempfile.TemporaryDirectory(prefix="trialoog-serve-") as folder:
        out = Path(folder) / "site"
        rebuild = functools.partial(build_cohort, path, out, student=student, jobs=1, echo=echo)
        rebuild()
        server = _server(out, port)
        watcher = _watch(path, _reporting(rebuild, report))
        echo(f"Voorbeeld van {printable(student)}: http://127.0.0.1:{server.server_port}/{student}/  (Ctrl+C om te stoppen)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            watcher.stop()
            server.server_close()
    return 0


def _reporting(rebuild, report):
    """A rebuild for the watcher thread: an error (say a broken portfolio.yml) is shown, the server goes on."""
    def run():
        try:
            rebuild()
        except TrialoogError as error:
            report(error)
    return run


def _server(root: Path, port: int) -> ThreadingHTTPServer:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            # `root` is swapped by each rebuild, so resolve it per request.
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


class _Debounced(FileSystemEventHandler):
    def __init__(self, action):
        self.action = action
        self.timer: threading.Timer | None = None

    def on_any_event(self, event):
        if event.event_type in ("opened", "closed_no_write") or "/.git" in event.src_path:
            return
        if self.timer is not None:
            self.timer.cancel()
        self.timer = threading.Timer(QUIET_SECONDS, self.action)
        self.timer.start()


def _watch(path: Path, action) -> BaseObserver:
    observer = Observer()
    observer.schedule(_Debounced(action), str(path), recursive=True)
    observer.daemon = True
    observer.start()
    return observer

