"""Images that cannot be cleaned are never published, and cleaning them stays within bounded memory.

Each accident is made with Pillow here: a phone JPEG cut off halfway (with GPS and owner in its
EXIF), a corrupt JPEG, a PNG whose header claims 50000 × 50000 pixels, a GIF with a comment, and
a JPEG of 120 megapixels. `check` warns (AT006) on the line that names the image; the build
leaves it out and the page shows the alt text. Memory is judged by what the decoder did (refused,
or decoded in draft mode and downscaled), not by measuring it.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile

from trialoog.portfolio.images import (
    CLEANED, MAX_DECODED_PIXELS, PUBLISHED_LONGEST_SIDE, ImageProblem, clean_image, problem_of,
)
from trialoog.site.body import DOWNLOADS, IMAGES
from trialoog.site.images import copy_attachment
from trialoog.checks.files import METADATA_KINDS

from browser.conftest import build_cohort
from conftest import STUDENT

OWNER = "Juf An Peeters"
GPS = {1: "N", 2: (51.0, 3.0, 12.5), 3: "E", 4: (3.0, 43.0, 7.25)}


def phone_jpeg(size=(640, 480), quality=90) -> bytes:
    exif = Image.Exif()
    exif[0x013B] = OWNER
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG", exif=exif.tobytes(), quality=quality)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    data = phone_jpeg()
    cut = data[: len(data) // 2]
    assert OWNER.encode() in cut  # the EXIF comes first: the half that is left still has it
    return cut


def corrupt_jpeg() -> bytes:
    data = phone_jpeg()
    return data[:600] + b"\x00" * 400 + data[1000:]


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"tEXt", b"Author\x00" + OWNER.encode())
            + chunk(b"IDAT", zlib.compress(b"\x00" * 4096)) + chunk(b"IEND", b""))


def gif_with_comment() -> bytes:
    frames = [Image.new("RGB", (30, 20), colour).convert("P") for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0,
                   comment=f"GPS 51.05 3.73 {OWNER}".encode())
    data = buffer.getvalue()
    assert OWNER.encode() in data
    return data


BROKEN = {"afgebroken.jpg": truncated_jpeg, "kapot.jpg": corrupt_jpeg, "bom.png": lambda: png_claiming(50000, 50000)}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_an_image_that_cannot_be_cleaned_is_refused_and_not_copied(tmp_path, name):
    source = tmp_path / name
    source.write_bytes(BROKEN[name]())
    with pytest.raises(ImageProblem):
        clean_image(source)
    assert copy_attachment(source, tmp_path / "site" / name) is False
    assert not (tmp_path / "site" / name).exists()


def test_a_png_that_claims_50000_by_50000_pixels_is_refused_before_decoding(tmp_path, monkeypatch):
    source = tmp_path / "bom.png"
    source.write_bytes(png_claiming(50000, 50000))

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("de decoder mocht niet beginnen")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_decoding)
    assert "te groot" in (problem_of(source) or "")


def test_an_image_just_over_the_decoding_limit_is_refused_too(tmp_path):
    side = int(MAX_DECODED_PIXELS**0.5) + 10
    source = tmp_path / "groot.png"
    source.write_bytes(png_claiming(side, side))
    assert "te groot" in (problem_of(source) or "")


def test_a_120_megapixel_jpeg_is_decoded_in_draft_mode_and_published_downscaled(tmp_path, monkeypatch):
    """1.9 MB on disk, 120 megapixels: decoded at full size it takes 1.8 GB per build worker."""
    source = tmp_path / "groot.jpg"
    source.write_bytes(phone_jpeg((12000, 10000), quality=20))
    decoded: list[tuple[int, int]] = []
    real_load = ImageFile.ImageFile.load

    def recording_load(self):
        decoded.append(self.size)
        return real_load(self)

    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", recording_load)
    assert copy_attachment(source, tmp_path / "site" / "groot.jpg") is True
    assert decoded and max(w * h for w, h in decoded) <= 4000 * 3400, f"volledig gedecodeerd: {decoded}"
    with Image.open(tmp_path / "site" / "groot.jpg") as copy:
        assert max(copy.size) == PUBLISHED_LONGEST_SIDE and copy.size == (2400, 2000)
        assert dict(copy.getexif()) == {}
    assert OWNER.encode() not in (tmp_path / "site" / "groot.jpg").read_bytes()


def test_a_gif_is_cleaned_with_its_frames_and_without_its_comment(tmp_path):
    source = tmp_path / "animatie.gif"
    source.write_bytes(gif_with_comment())
    assert copy_attachment(source, tmp_path / "site" / "animatie.gif") is True
    data = (tmp_path / "site" / "animatie.gif").read_bytes()
    assert OWNER.encode() not in data and b"GPS" not in data
    with Image.open(tmp_path / "site" / "animatie.gif") as copy:
        assert copy.n_frames == 3 and "comment" not in copy.info and "xmp" not in copy.info
        assert copy.size == (30, 20)


def test_the_cleaned_kinds_are_the_images_a_site_shows():
    assert CLEANED == IMAGES
    assert set(METADATA_KINDS) <= DOWNLOADS and not set(METADATA_KINDS) & IMAGES


def test_check_warns_on_the_line_that_names_the_image_and_the_build_leaves_it_out(cohort, tmp_path):
    cohort.write(f"{STUDENT}/bewijzen/afgebroken.jpg", truncated_jpeg())
    cohort.write(f"{STUDENT}/bewijzen/bom.png", png_claiming(50000, 50000))
    cohort.write(f"{STUDENT}/bewijzen/goed.jpg", phone_jpeg())
    cohort.write(f"{STUDENT}/bewijzen/les.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    cohort.write(f"{STUDENT}/bewijzen/les.docx", b"PK\x03\x04" + b"\x00" * 64)
    cohort.entry(
        "bewijzen/foto.md",
        """\
        type: evidence
        title: "Foto's van de les"
        date: 2017-10-19
        competences: [FG1]
        attachments: [afgebroken.jpg, goed.jpg, les.mp4]
        pupils_visible: false
        """,
        "Het bord na de les:\n\n![Het bord na de les](bom.png)\n\n[De lesvoorbereiding](les.docx)\n",
    )
    found = {(line, code) for path, line, code in cohort.diagnostics() if path.endswith("bewijzen/foto.md")}
    assert {(6, "AT006"), (12, "AT006"), (6, "AT007"), (14, "AT007")} <= found, found
    messages = {d.message for d in cohort.check().diagnostics if d.code in ("AT006", "AT007")}
    assert any("afgebroken.jpg" in m and "onvolledig" in m for m in messages), messages
    assert any("bom.png" in m and "te groot" in m for m in messages), messages
    assert not any("goed.jpg" in m for m in messages)

    out = tmp_path / "site"
    build_cohort(cohort.root, out)
    published = out / STUDENT / "bewijzen"
    assert (published / "goed.jpg").is_file()
    assert not (published / "afgebroken.jpg").exists() and not (published / "bom.png").exists()
    page = (published / "foto.html").read_text(encoding="utf-8")
    assert "Het bord na de les" in page and "bom.png\"" not in page and 'src="afgebroken.jpg"' not in page
    assert "niet op de site gezet" in page
    for path in out.rglob("*"):
        if path.is_file():
            assert OWNER.encode() not in path.read_bytes(), f"{path} bevat de eigenaar van een foto"


def _truncated_gif() -> bytes:
    data = gif_with_comment()
    return data[: len(data) * 2 // 3]


def _rotated_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90°
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 20, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def _bmp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "BMP")
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 30), (1, 2, 3, 4)).save(buffer, "PNG")
    return buffer.getvalue()


VERDICT_CASES = {**BROKEN, "foto.jpg": phone_jpeg, "gedraaid.jpg": _rotated_jpeg, "animatie.gif": gif_with_comment,
                 "afgebroken.gif": _truncated_gif, "plaatje.png": _png, "afgebroken.png": lambda: _png()[:60],
                 "vermomd.jpg": _bmp, "leeg.jpg": lambda: b""}


@pytest.mark.parametrize("name", sorted(VERDICT_CASES))
def test_checks_verdict_is_the_builds_cleaning(tmp_path, name):
    """`check` decides without making the clean copy (portfolio.images.problem_of): it must refuse
    exactly what the build refuses, with the same words."""
    source = tmp_path / name
    source.write_bytes(VERDICT_CASES[name]())
    try:
        clean_image(source)
        built = None
    except ImageProblem as problem:
        built = str(problem)
    assert problem_of(source) == built
