"""The repository's mkdocs.yml: the base configuration every generated site inherits.

Read here for what the generator itself needs from it: where the theme lives (custom_dir) and
which Markdown extensions student texts are rendered with, so a programme changes both in one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trialoog.portfolio.frontmatter import read_yaml

BASE_CONFIG = Path(__file__).resolve().parents[3] / "mkdocs.yml"


def read(base_config: Path = BASE_CONFIG) -> dict[str, Any]:
    """mkdocs.yml through Trialoog's one YAML reader. MkDocs' own tags (!ENV, !relative,
    !!python/name) are the engine's business: the reader leaves such values out (None), which is
    all the generator needs, so its problems are not ours to report."""
    return read_yaml(base_config.read_bytes()).data or {}


def theme_dir(base_config: Path = BASE_CONFIG) -> Path:
    """The absolute custom_dir that the base configuration names (theme/ by default)."""
    theme = read(base_config).get("theme") or {}
    custom_dir = theme.get("custom_dir", "theme") if isinstance(theme, dict) else "theme"
    return (base_config.parent / custom_dir).resolve()


def markdown_extensions(base_config: Path = BASE_CONFIG) -> tuple[list[str], dict[str, dict]]:
    """The extension names and their settings, as Python-Markdown takes them."""
    names: list[str] = []
    configs: dict[str, dict] = {}
    for item in read(base_config).get("markdown_extensions") or []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, settings in item.items():
                names.append(name)
                if isinstance(settings, dict):
                    configs[name] = settings
    return names, configs
