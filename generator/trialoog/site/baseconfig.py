"""The repository's mkdocs.yml: the base configuration every generated site inherits.

Read here for what the site needs from it: where the theme lives (custom_dir). Reading the file and
its Markdown extensions sits below, in trialoog.portfolio.render, because the link check renders
student texts with the same extensions as the build; the names stay importable from here.
"""

from __future__ import annotations

from pathlib import Path

from trialoog.portfolio.render import BASE_CONFIG, markdown_extensions, read

__all__ = ["BASE_CONFIG", "markdown_extensions", "read", "theme_dir"]


def theme_dir(base_config: Path = BASE_CONFIG) -> Path:
    """The absolute custom_dir that the base configuration names (theme/ by default)."""
    theme = read(base_config).get("theme") or {}
    custom_dir = theme.get("custom_dir", "theme") if isinstance(theme, dict) else "theme"
    return (base_config.parent / custom_dir).resolve()
