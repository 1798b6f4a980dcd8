"""Copy attachments into a site: images only as a clean copy (no GPS, camera, owner), or not at all.

The original in the repository is never touched; only the copy in the site is cleaned
(trialoog.portfolio.images, which `check` uses too, so a warning there means the image is left out
here). An image that cannot be cleaned is not copied: the caller learns which ones, so that pages
show the student's alt text instead of a broken image.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from trialoog.portfolio.images import ImageProblem, clean_image, is_cleaned


def copy_attachment(source: Path, target: Path) -> bool:
    """Copy one file into the site; False when it is an image that cannot be cleaned (not copied)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not is_cleaned(source):
        shutil.copyfile(source, target)
        return True
    try:
        clean_image(source).save(target)
    except ImageProblem:
        target.unlink(missing_ok=True)  # a half-written copy would be the same leak
        return False
    return True


def copy_attachments(folder: Path, paths: Iterable[str], docs: Path) -> set[str]:
    """Copy the student's `paths` from `folder` into `docs`; the images left out, by path."""
    return {path for path in paths if not copy_attachment(folder / path, docs / path)}
