"""The repository's mkdocs.yml: the base configuration every generated site inherits.

Read here for what the generator itself needs from it: where the theme lives (custom_dir) and
which Markdown extensions student texts are rendered with, so a programme changes both in one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

BASE_CONFIG = Path(__file__).resolve().parents[3] / "mkdocs.yml"


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving MkDocs' own tags (!ENV, !relative, !!python/name)."""


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read(base_config: Path = BASE_CONFIG) -> dict[str, Any]:
    return yaml.load(base_config.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}


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
