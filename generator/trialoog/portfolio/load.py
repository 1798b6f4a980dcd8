"""Walk a portfolio tree into a Cohort: settings, framework, students and their typed entries.

Reading never stops at a broken file: each file's problems travel with its Entry, and the rest
of the cohort is still read. Only a broken portfolio.yml or framework stops (ConfigError).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from trialoog import rules
from trialoog.diagnostics import START, Diagnostic, Position, located
from trialoog.errors import USAGE, TrialoogError
from trialoog.portfolio.framework import Framework, FrameworkError, load_framework
from trialoog.portfolio.framework_mapping import Mapping, load_mapping
from trialoog.portfolio.frontmatter import Document, Problem, read_document, read_yaml, too_large
from trialoog.portfolio.model import Entry as EntryModel
from trialoog.portfolio.model import PortfolioConfig, Profile
from trialoog.portfolio.paths import is_within, repository_root
from trialoog.portfolio.schema import validate, validate_entry

CONFIG_FILE = "portfolio.yml"
PROFILE_ID = "index"
# The manifest `trialoog build` writes into its output: a folder holding it is a built site (say
# `site/` beside the student in a single-student repository), never a student.
BUILD_MANIFEST = ".trialoog-build.json"


class ConfigError(TrialoogError):
    """portfolio.yml or the framework cannot be used: a configuration error, explained by its diagnostics."""

    exit_code = USAGE

    def __init__(self, diagnostics: list[Diagnostic], root: Path | None = None):
        found = located(diagnostics, root) if root is not None else diagnostics
        super().__init__("\n".join(d.message for d in found), diagnostics=found, root=root)


@dataclass
class Entry:
    id: str  # path inside the student folder without .md: "reflecties/2017-09-08-eerste-week"
    path: Path
    student: str
    doc: Document
    model: EntryModel | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    size: int = 0  # bytes of the Markdown file
    type: str | None = field(init=False, default=None)  # the model's type, else the `type` written

    def __post_init__(self):
        if self.model is not None:
            self.type = self.model.type
        else:
            kind = (self.doc.data or {}).get("type")
            self.type = kind if isinstance(kind, str) else None

    @property
    def published(self) -> bool:
        """Valid and not a draft (private entries are published to the evaluation team only)."""
        return self.model is not None and not self.model.draft


@dataclass
class Student:
    id: str
    folder: Path
    entries: list[Entry]  # every Markdown file but the profile, sorted by id
    profile: Entry | None
    files: dict[str, int]  # every file, Markdown too: path inside the folder -> size in bytes
    symlinks: frozenset[str] = frozenset()  # paths inside the folder that are symbolic links (files or folders)
    irregular: frozenset[str] = frozenset()  # FIFOs, sockets, devices: never read, not in `files` (FM015)

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        return {entry.id: entry for entry in self.entries}

    @cached_property
    def casefolded(self) -> dict[str, str]:
        return {path.casefold(): path for path in self.files}

    @cached_property
    def composed(self) -> dict[str, str]:
        """Every file by its NFC name: macOS writes `café` decomposed (NFD), editors and YAML compose it."""
        return {unicodedata.normalize("NFC", path): path for path in self.files}

    @property
    def profile_model(self) -> Profile | None:
        model = self.profile.model if self.profile else None
        return model if isinstance(model, Profile) else None

    def published(self, kind: str | None = None, private: bool = True) -> list[Entry]:
        """Published entries (optionally of one type), by date then id; `private=False` leaves those out."""
        found = [
            entry for entry in self.entries
            if entry.published and (kind is None or entry.type == kind)
            and (private or not entry.model.private)  # type: ignore[union-attr]  # published: model is set
        ]
        return sorted(found, key=lambda entry: (entry.model.date or dt.date.min, entry.id))  # type: ignore[union-attr]


@dataclass
class Cohort:
    root: Path
    config: PortfolioConfig
    framework: Framework
    students: list[Student]
    refused: list[Diagnostic] = field(default_factory=list)  # folders not read as students (a link out of the repository)
    config_doc: Document | None = None  # portfolio.yml as read, for the positions of its values
    mapping: Mapping | None = None  # the framework_mapping file, when portfolio.yml names one

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    def student(self, student_id: str) -> Student | None:
        return next((s for s in self.students if s.id == student_id), None)

    def diagnostics(self) -> list[Diagnostic]:
        """Problems found while reading (front matter and schema), for every file."""
        found = list(self.refused)
        for student in self.students:
            for entry in ([student.profile] if student.profile else []) + student.entries:
                found.extend(entry.diagnostics)
        return found


def load_cohort(root: Path, only: str | None = None) -> Cohort:
    root = root.resolve()
    config, config_doc = _config_and_document(root)
    framework = _load_framework(config, root, config_doc)
    mapping = _load_mapping(config, root, framework, config_doc)
    if mapping is not None:
        framework = framework.with_mapping(mapping.pairs)
    folders, refused = _student_folders(root)
    if only is not None:
        folders = [folder for folder in folders if folder.name == only]
        refused = [d for d in refused if Path(d.path).name == only]
    students = _load_students(folders, config.limits.markdown_bytes)
    return Cohort(root, config, framework, students, refused, config_doc, mapping)


# The cyclic garbage collector and a large cohort. Loading builds many long-lived objects and no
# garbage cycles; with the collector running, it re-scans the growing cohort again and again
# (a third of the load time), and after loading it scans the whole cohort a few times more while
# the checks run. So the collector pauses while loading, and a large cohort is then frozen
# (gc.freeze: left out of later collections; memory is still freed by reference counting). The
# next load first gives frozen objects back to the collector, so long-running processes
# (`trialoog serve`) do not keep garbage.
FREEZE_FROM = 2000  # Markdown files; below this the collector's work does not matter
_frozen = False


def _load_students(folders: list[Path], max_bytes: int) -> list[Student]:
    global _frozen
    if _frozen:
        gc.unfreeze()
        gc.collect()
        _frozen = False
    enabled = gc.isenabled()
    gc.disable()
    try:
        students = [load_student(folder, max_bytes) for folder in folders]
        if sum(len(student.entries) for student in students) >= FREEZE_FROM:
            gc.freeze()
            _frozen = True
    finally:
        if enabled:
            gc.enable()
    return students


def load_config(root: Path) -> PortfolioConfig:
    """portfolio.yml of the cohort at `root`; its problems name paths relative to `root`."""
    return _config_and_document(root)[0]


def _config_and_document(root: Path) -> tuple[PortfolioConfig, Document]:
    try:
        return _read_config(root)
    except ConfigError as error:
        raise ConfigError(list(error.diagnostics), root) from None


def _read_config(root: Path) -> tuple[PortfolioConfig, Document]:
    path = root / CONFIG_FILE
    if not path.is_file():
        where = str(path)
        raise ConfigError([rules.make(rules.CONFIG, where, START, f"{CONFIG_FILE} niet gevonden in {root}: is dit de map met de portfolio's?")])
    try:
        doc = read_yaml(path.read_bytes())
    except OSError as error:
        raise ConfigError([rules.make(rules.CONFIG, str(path), START, f"{CONFIG_FILE} kan niet gelezen worden: {error.strerror or error}")]) from None
    config = validate(PortfolioConfig, doc) if doc.data is not None else None
    errors = [rules.make(p.code, str(path), p.position, p.message) for p in doc.problems]
    if config is None or any(d.is_error for d in errors):
        raise ConfigError(errors or [rules.make(rules.CONFIG, str(path), START, "portfolio.yml is ongeldig")])
    return config, doc


def _load_framework(config: PortfolioConfig, root: Path, doc: Document) -> Framework:
    """The framework of portfolio.yml. A problem inside the framework file points at its line
    there; any other (not found, outside the repository, not a framework) at `framework:` in
    portfolio.yml, where it is fixed."""
    try:
        return load_framework(config.framework, root)
    except FrameworkError as error:
        inside = error.line is not None and error.path is not None
        where = str(error.path) if inside else str(root / CONFIG_FILE)
        position = Position(error.line, 1) if inside and error.line else doc.position(("framework",))
        # The framework's messages start with its path, which the diagnostic already names.
        message = str(error).removeprefix(f"{error.path}: ") if error.path else str(error)
        found = rules.make(rules.CONFIG, where, position, f"competentiekader '{config.framework}': {message}")
        raise ConfigError([found], root) from None


def _load_mapping(config: PortfolioConfig, root: Path, framework: Framework, doc: Document) -> Mapping | None:
    if config.framework_mapping is None:
        return None
    try:
        return load_mapping(config.framework_mapping, root, framework)
    except FrameworkError as error:
        inside = error.line is not None and error.path is not None
        where = str(error.path) if inside else str(root / CONFIG_FILE)
        position = Position(error.line, 1) if inside and error.line else doc.position(("framework_mapping",))
        message = str(error).removeprefix(f"{error.path}: ") if error.path else str(error)
        raise ConfigError([rules.make(rules.CONFIG, where, position, message)], root) from None


def _student_folders(root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The student folders at the cohort root, and a diagnostic for each linked folder refused.

    Not a student: hidden folders and those starting with `_` (the submodules of `trialoog
    gather`), a built site (its manifest is there), and an empty folder (git keeps no empty
    folders, so it is never a student's work: it is an output before its first build).
    A symbolic link is read only when it leads to a folder inside the cohort's repository
    (`trialoog gather` links `amina -> _studenten/amina/amina`) that is not the cohort or a folder
    above it; anything else (`ln -s /usr`) is refused and never walked."""
    repository = repository_root(root)
    folders, refused = [], []
    for path in sorted(root.iterdir()):
        if path.name.startswith((".", "_")) or not path.is_dir():
            continue
        if path.is_symlink():
            reason = _refused_link(path, root, repository)
            if reason is not None:
                refused.append(rules.make(rules.LINKED_FOLDER, str(path), START, reason))
                continue
        if (path / BUILD_MANIFEST).is_file() or _is_empty(path):
            continue
        folders.append(path)
    return folders, refused


def _refused_link(path: Path, root: Path, repository: Path) -> str | None:
    target = os.path.realpath(path)
    if not is_within(target, repository):
        return (f"'{path.name}' is een symbolische link naar {target}, buiten de repository: Trialoog leest die map niet; "
                "zet de studentenmap in de repository (of als submodule met `trialoog gather`)")
    if is_within(root, target):
        return f"'{path.name}' is een symbolische link naar de map met de portfolio's zelf of een map erboven: verwijder de link"
    return None


def _is_empty(folder: Path) -> bool:
    try:
        with os.scandir(folder) as found:
            return next(found, None) is None
    except OSError:
        return False  # unreadable: read as a student, whose files then report it


def load_student(folder: Path, max_bytes: int) -> Student:
    markdown, files, symlinks, irregular = _walk(folder)
    entries = [read_entry(folder, relative, max_bytes, linked=relative in symlinks) for relative in markdown]
    for relative, entry in zip(markdown, entries):
        if relative in files and relative not in symlinks:
            files[relative] = entry.size
    profile = next((entry for entry in entries if entry.id == PROFILE_ID), None)
    others = [entry for entry in entries if entry is not profile]
    return Student(folder.name, folder, others, profile, files, frozenset(symlinks), frozenset(irregular))


def _walk(folder: Path) -> tuple[list[str], dict[str, int], set[str], set[str]]:
    """Markdown paths, every other file with its size, the symbolic links and the files that are
    not regular files (a FIFO, a socket, a device), in a student folder.

    Like os.walk: sorted, hidden names skipped, linked folders listed but not entered, unreadable
    folders skipped. Markdown files get their size when they are read; one that is not a regular
    file stays listed, so reading it reports FM015 on its entry.
    """
    markdown: list[str] = []
    files: dict[str, int] = {}
    symlinks: set[str] = set()
    irregular: set[str] = set()
    pending = [(str(folder), "")]  # a stack, not recursion: a deep tree cannot overflow it
    while pending:
        directory, prefix = pending.pop()
        folders = _scan(directory, prefix, markdown, files, symlinks, irregular)
        pending.extend((item.path, prefix + item.name + "/") for item in reversed(folders))
    return markdown, files, symlinks, irregular


def _scan(directory: str, prefix: str, markdown: list, files: dict, symlinks: set, irregular: set) -> list[os.DirEntry]:
    """Lists one folder's files (sorted); returns its subfolders to enter, sorted."""
    try:
        with os.scandir(directory) as found:
            items = sorted((item for item in found if not item.name.startswith(".")), key=lambda item: item.name)
    except OSError:
        return []
    folders = []
    for item in items:
        relative = prefix + item.name
        linked = item.is_symlink()
        if linked:
            symlinks.add(relative)
        if _is_dir(item):
            if not linked:
                folders.append(item)
            continue
        plain_markdown = item.name.lower().endswith(".md") and not linked
        if item.name.lower().endswith(".md"):
            markdown.append(relative)  # reading it reports FM015 on its entry when it is not regular
        if not _is_regular(item):
            irregular.add(relative)  # reading a FIFO waits forever; copying it into a site too
            continue
        files[relative] = 0 if plain_markdown else _size(item)  # Markdown: set when read
    return folders


def _is_regular(item: os.DirEntry) -> bool:
    """A regular file, or a link to one; a dangling link counts as regular (its reader explains it).

    DirEntry.is_file answers from the folder listing for all but links: no extra system call."""
    try:
        return item.is_file() or (item.is_symlink() and not os.path.exists(item.path))
    except OSError:
        return True


def _is_dir(item: os.DirEntry) -> bool:
    try:
        return item.is_dir()
    except OSError:
        return False


def _size(item: os.DirEntry) -> int:
    try:
        return item.stat(follow_symlinks=False).st_size
    except OSError:
        return 0


def read_entry(folder: Path, relative: str, max_bytes: int, linked: bool = False) -> Entry:
    path = folder / relative
    doc, size = _read(folder, path, relative, max_bytes, linked)
    model = validate_entry(doc) if doc.data is not None else None
    entry = Entry(relative[:-3], path, folder.name, doc, model, size=size)
    entry.diagnostics = [
        rules.make(problem.code, str(path), problem.position, problem.message, folder.name)
        for problem in doc.problems
    ]
    return entry


def _read(folder: Path, path: Path, relative: str, max_bytes: int, linked: bool) -> tuple[Document, int]:
    """The document of one Markdown file; a link that leads outside the folder is never read."""
    if linked and not _inside(folder, path):
        message = f"'{relative}' is een symbolische link naar buiten je map: Trialoog leest hem niet"
        return Document(problems=[Problem(rules.ESCAPING_PATH, START, message)]), 0
    try:
        raw, size = _read_regular(path, max_bytes)
    except OSError as error:
        message = f"'{relative}' kan niet gelezen worden ({error.strerror or error}): herstel of verwijder het bestand"
        return Document(problems=[Problem(rules.UNREADABLE, START, message)]), 0
    if raw is None and size < 0:
        message = f"'{relative}' is geen gewoon bestand (maar bv. een named pipe of apparaat): Trialoog leest het niet; verwijder het"
        return Document(problems=[Problem(rules.UNREADABLE, START, message)]), 0
    if raw is None:
        return Document(problems=[too_large(size, max_bytes)]), size
    return read_document(raw, max_bytes), size


def _read_regular(path: Path, max_bytes: int) -> tuple[bytes | None, int]:
    """(bytes, size) of a regular file; (None, size) when it is larger than `max_bytes`, (None, -1)
    when it is not a regular file at all. Nothing but a regular file of allowed size is read.

    The file is opened without blocking (a FIFO would wait for a writer forever) and checked on
    the open descriptor, so it cannot be swapped between the check and the read; at most one byte
    more than the limit is read, whatever the size said.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            return None, -1
        if found.st_size > max_bytes:
            return None, found.st_size
        # The size the stat gave plus one byte: asking for the limit would allocate it (1 MB) for
        # every small file. Only a file that grew since the stat is read on, up to the limit.
        raw = _read_up_to(descriptor, found.st_size + 1)
        if len(raw) > found.st_size:
            raw += _read_up_to(descriptor, max_bytes + 1 - len(raw))
    finally:
        os.close(descriptor)
    if len(raw) > max_bytes:  # it grew since the stat
        return None, len(raw)
    return raw, len(raw)


def _read_up_to(descriptor: int, count: int) -> bytes:
    """At most `count` bytes, fewer only at the end of the file (os.read may return less)."""
    parts = []
    while count > 0:
        part = os.read(descriptor, count)
        if not part:
            break
        parts.append(part)
        count -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _inside(folder: Path, path: Path) -> bool:
    real_folder = os.path.realpath(folder)
    return os.path.realpath(path).startswith(real_folder + os.sep)
