"""Copy attachments into a site: images without their EXIF metadata (GPS, camera, owner).

The original in the repository is never touched; only the copy in the site is cleaned.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image, ImageOps

STRIPPED = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}


def copy_attachment(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix.lower() in STRIPPED:
        try:
            copy_image_without_metadata(source, target)
            return
        except (OSError, ValueError, Image.DecompressionBombError):
            pass  # not a readable image after all: a broken file is copied as it is, below
    shutil.copyfile(source, target)


def copy_image_without_metadata(source: Path, target: Path) -> None:
    with Image.open(source) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag asked for
        clean = Image.new(upright.mode, upright.size)
        clean.paste(upright)
        if upright.mode == "P":
            clean.putpalette(upright.getpalette())  # type: ignore[arg-type]  # a P image has a palette
        save_format = image.format or None
        clean.save(target, format=save_format, **_save_options(save_format))


def _save_options(image_format: str | None) -> dict:
    if image_format == "JPEG":
        return {"quality": 90, "optimize": True}
    return {}
