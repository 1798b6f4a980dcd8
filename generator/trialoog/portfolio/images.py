"""A student's image, read the one way both `check` and the build read it: cleaned or refused.

Photos of a class carry the GPS position of the school, the camera's owner and the date in their
metadata (EXIF, XMP, PNG text chunks, GIF comments). A site only ever shows a copy that was decoded
and saved again from its pixels alone, so no metadata can ride along. An image that cannot be
decoded completely (a truncated phone JPEG, a corrupt file, a header that lies about its size) is
never published: copying it unchanged would publish the very metadata the copy exists to remove.

Memory stays bounded because the size in the header is checked before any pixel is decoded:
- a JPEG is decoded in draft mode (libjpeg scales by 1/2, 1/4 or 1/8 while decoding), so a
  120-megapixel photo is decoded at about the published size, not at full size;
- any other image (PNG, WebP, GIF), and a JPEG whose draft would still be too large, is refused
  above MAX_DECODED_PIXELS;
- nothing is opened above MAX_SOURCE_PIXELS, whatever its format.
What is published is downscaled to PUBLISHED_LONGEST_SIDE pixels on its longest side: sharp on a
large screen and on a printed A4 page, a fraction of a phone photo's bytes. The original in the
repository is never touched.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, TypeVar

import PIL
from PIL import Image, ImageOps, ImageSequence

CLEANED = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})  # the images a site shows
PUBLISHED_LONGEST_SIDE = 2400
MAX_DECODED_PIXELS = 40_000_000  # 160 MB as RGBA: the most one build worker decodes at once
MAX_SOURCE_PIXELS = 175_000_000  # even a JPEG in draft mode; below Pillow's own bomb error (2 × 89 M)
MAX_FRAMES = 300  # an animated GIF: frames × pixels also stays under MAX_DECODED_PIXELS
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
_SIZE_PROBLEM = "is te groot om veilig te openen"
_Result = TypeVar("_Result")


class ImageProblem(Exception):
    """An image that cannot be cleaned; the message is Dutch and says why (not how to fix it)."""


@dataclass
class CleanImage:
    """The pixels of an image and nothing else, ready to be saved in the site."""

    format: str
    frames: list[Image.Image]
    durations: list[int] = field(default_factory=list)  # GIF: per frame, milliseconds
    loop: int | None = None  # GIF: how often the animation repeats (0: forever)

    def save(self, target: Path) -> None:
        first, rest = self.frames[0], self.frames[1:]
        if self.format == "GIF":
            options: dict = {"save_all": bool(rest), "append_images": rest, "optimize": False}
            if rest:
                options["duration"] = self.durations
                options["disposal"] = 2
            if self.loop is not None:
                options["loop"] = self.loop
            first.save(target, format="GIF", **options)
        elif self.format == "JPEG":
            first.save(target, format="JPEG", quality=90, optimize=True)
        else:
            first.save(target, format=self.format)


def is_cleaned(path: str | Path) -> bool:
    """Whether a file of this name is an image that the build cleans (by its extension, as Path.suffix reads it)."""
    text = str(path)
    if not text or text.endswith(("/", "/.")) or "//" in text or "/./" in text or text.startswith("./"):
        return Path(text).suffix.lower() in CLEANED  # Path first tidies the name up
    name = text.rpartition("/")[2]
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:].lower() in CLEANED


def clean_image(source: Path | BinaryIO) -> CleanImage:
    """The image at `source` (a path, or its bytes) decoded within the limits above, without metadata, downscaled."""
    return _opened(source, _clean)


def problem_of(source: Path | BinaryIO) -> str | None:
    """Why the image at `source` (a path, or its bytes) cannot be published, in Dutch; None when it can.

    It decodes what clean_image decodes, within the same limits, and stops before the copy and
    the downscaling, which cannot fail on pixels that decoded: `check` decides about every photo of
    a cohort, and for a small photo the copy is up to a third of deciding."""
    try:
        _opened(source, _decode)
    except ImageProblem as problem:
        return str(problem)
    return None


def _opened(source: Path | BinaryIO, then: Callable[[Image.Image], _Result]) -> _Result:
    try:
        with warnings.catch_warnings():
            # The limits above are checked before decoding; Pillow's warning would only be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                return then(image)
    except ImageProblem:
        raise
    except Image.DecompressionBombError as error:
        raise ImageProblem(f"de afbeelding {_SIZE_PROBLEM}") from error
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as error:
        # Pillow reports a truncated or corrupt file as OSError, SyntaxError or EOFError.
        raise ImageProblem("de afbeelding is beschadigd of onvolledig: ze kan niet helemaal gelezen worden") from error


# ---- verdicts remembered across runs ------------------------------------------------------------
#
# Deciding whether an image can be cleaned takes decoding it whole (a truncated photo fails only at
# its last bytes), which costs more than the rest of a check. The verdict depends on the bytes and on
# this module (and Pillow) alone, so it is remembered by the SHA-256 of the bytes, in the user's
# cache folder (trialoog.portfolio.cache): never in the repository, where a student would commit it. Raise CLEANING_VERSION
# whenever clean_image decides differently, so that no verdict of the old code is reused.
#
# Hashing a folder of phone photos still reads every byte of them, so each file's hash is also
# remembered with what its stat says (size, modification and change time in nanoseconds, inode),
# under the SHA-256 of its path (the cache holds no file names). Any write changes the change time,
# which no program can set back; a file changed in the last few seconds before it was hashed is not
# remembered this way (the clock may not have moved between two writes), as git does with its index.

CLEANING_VERSION = 1
MAX_REMEMBERED_BYTES = 64_000_000  # larger files are decoded from disk each time, never read whole
SETTLED_NS = 3_000_000_000  # a file's stat is trusted only when it last changed this long before hashing


class Verdicts:
    """problem_of for many images, each verdict remembered by the image's content.

    A missing, unreadable or corrupt cache file is read as empty, and a cache that cannot be
    written is skipped: the cache only ever saves time, the verdict is always problem_of's.
    """

    def __init__(self, folder: Path | None):
        self.path = folder / f"image-verdicts-v{CLEANING_VERSION}-pillow-{PIL.__version__}.json" if folder else None
        self.known, self.hashed = _read_cache(self.path) if self.path else ({}, {})
        self.added: dict[str, str | None] = {}
        self.added_hashes: dict[str, list] = {}

    def problem_of(self, source: Path) -> str | None:
        try:
            found = os.stat(source)
        except OSError:
            return problem_of(source)  # the reader explains what is wrong with the file
        if self.path is None or found.st_size > MAX_REMEMBERED_BYTES:
            return problem_of(source)
        where = hashlib.sha256(os.fsencode(os.path.abspath(source))).hexdigest()
        signature = [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]
        remembered = self.hashed.get(where)
        if remembered is not None and remembered[:4] == signature and remembered[4] in self.known:
            return self.known[remembered[4]]
        try:
            data = source.read_bytes()
        except OSError:
            return problem_of(source)
        key = hashlib.sha256(data).hexdigest()
        if key not in self.known:
            # Decoded from the very bytes that were hashed, so a file saved meanwhile cannot mix them up.
            self.known[key] = self.added[key] = problem_of(io.BytesIO(data))
        if len(data) == found.st_size and found.st_ctime_ns < time.time_ns() - SETTLED_NS:
            self.hashed[where] = self.added_hashes[where] = signature + [key]
        return self.known[key]

    def save(self) -> None:
        """Write what was added (merged with what another run wrote meanwhile), atomically."""
        if self.path is None or not (self.added or self.added_hashes):
            return
        verdicts, hashed = _read_cache(self.path)
        merged = {"verdicts": {**verdicts, **self.added}, "files": {**hashed, **self.added_hashes}}
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".image-verdicts-", suffix=".tmp")
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(merged, handle)
            os.replace(temporary, self.path)
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)  # our own temporary file
            return
        self.added.clear()
        self.added_hashes.clear()


def _read_cache(path: Path) -> tuple[dict[str, str | None], dict[str, list]]:
    """(verdict by content hash, [size, mtime_ns, ctime_ns, inode, content hash] by path hash);
    whatever is not in that shape is left out."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(found, dict):
        return {}, {}
    verdicts, files = found.get("verdicts"), found.get("files")
    verdicts = {key: value for key, value in verdicts.items()
                if _is_hash(key) and (value is None or isinstance(value, str))} if isinstance(verdicts, dict) else {}
    files = {key: value for key, value in files.items()
             if _is_hash(key) and isinstance(value, list) and len(value) == 5
             and all(type(number) is int for number in value[:4]) and _is_hash(value[4])} if isinstance(files, dict) else {}
    return verdicts, files


def _is_hash(text: object) -> bool:
    return isinstance(text, str) and len(text) == 64


def _clean(image: Image.Image) -> CleanImage:
    kind = _check_limits(image)
    if kind == "GIF":
        return _clean_gif(image)
    return CleanImage(kind, [_downscaled(_pixels_only(_upright(image)))])


def _decode(image: Image.Image) -> None:
    """Every step of _clean that reads the file: the limits, each frame's pixels, the EXIF orientation."""
    _check_limits(image)
    if image.format == "GIF":
        for frame in ImageSequence.Iterator(image):
            frame.load()
    else:
        _upright(image)


def _check_limits(image: Image.Image) -> str:
    """The image's format, after refusing what is no image of ours or too large, before any pixel
    is decoded; a JPEG is set to decode scaled down by libjpeg itself."""
    if image.format is None or image.format not in FORMATS:
        raise ImageProblem(f"het bestand is geen jpg, png, webp of gif maar {image.format or 'onbekend'}")
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_SOURCE_PIXELS:
        raise ImageProblem(f"de afbeelding ({width} × {height} pixels) {_SIZE_PROBLEM}")
    if image.format == "JPEG":
        image.draft(image.mode, _draft_size(image.size))
    frames = getattr(image, "n_frames", 1) if image.format == "GIF" else 1
    if frames > MAX_FRAMES:
        raise ImageProblem(f"de animatie heeft {frames} beelden, meer dan {MAX_FRAMES}")
    decoded_width, decoded_height = image.size
    if decoded_width * decoded_height * frames > MAX_DECODED_PIXELS:
        raise ImageProblem(f"de afbeelding ({width} × {height} pixels, {frames} beeld(en)) {_SIZE_PROBLEM}")
    return image.format


def _upright(image: Image.Image) -> Image.Image:
    image.load()
    return ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag asked for


def _clean_gif(image: Image.Image) -> CleanImage:
    """Every frame, redrawn from its pixels: the comment and XMP extensions stay behind."""
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        frame.load()
        durations.append(int(frame.info.get("duration", 100) or 100))
        frames.append(_downscaled(_pixels_only(frame.convert("RGBA"))))
    loop = image.info.get("loop")
    return CleanImage("GIF", frames, durations, loop if isinstance(loop, int) else None)


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image with the same pixels (and palette), so no info, EXIF, XMP or text travels along."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if image.mode == "P":
        palette = image.getpalette()
        if palette is not None:
            clean.putpalette(palette)
    transparency = image.info.get("transparency")
    if image.mode in ("P", "L", "RGB") and isinstance(transparency, (int, tuple)):
        clean.info["transparency"] = transparency  # which colour is see-through: pixels, not metadata
    return clean


def _downscaled(image: Image.Image) -> Image.Image:
    if max(image.size) <= PUBLISHED_LONGEST_SIDE:
        return image
    if image.mode == "P":
        image = image.convert("RGBA")
    image.thumbnail((PUBLISHED_LONGEST_SIDE, PUBLISHED_LONGEST_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image


def _draft_size(size: tuple[int, int]) -> tuple[int, int]:
    """The smallest size libjpeg may decode to that still covers the published size."""
    width, height = size
    scale = min(1.0, PUBLISHED_LONGEST_SIDE / max(width, height))
    return max(1, int(width * scale)), max(1, int(height * scale))

