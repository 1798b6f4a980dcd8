"""How a student's Markdown becomes HTML: one parser configuration, read from the base mkdocs.yml.

`trialoog check` reads the links of a text from this HTML and `trialoog build` publishes it (after
cleaning, trialoog.site.body), so both see the same links, the same code blocks and the same
reference definitions. The configuration lives here, at the bottom, because checks sit below site;
trialoog.site.baseconfig re-exports what the site needs from it.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trialoog.errors import UsageError
from trialoog.portfolio.frontmatter import read_yaml

if TYPE_CHECKING:
    import markdown

BASE_CONFIG = Path(__file__).resolve().parents[3] / "mkdocs.yml"

Extensions = tuple[list[str], dict[str, dict]]


def read(base_config: Path = BASE_CONFIG) -> dict[str, Any]:
    """mkdocs.yml through Trialoog's one YAML reader. MkDocs' own tags (!ENV, !relative,
    !!python/name) are the engine's business: the reader leaves such values out (None), which is
    all the generator needs, so its problems are not ours to report."""
    return read_yaml(base_config.read_bytes()).data or {}


def markdown_extensions(base_config: Path = BASE_CONFIG) -> Extensions:
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


def converter(extensions: Extensions | None = None) -> markdown.Markdown:
    """A fresh parser with the base configuration. Heading permalinks are off: a text is shown on
    several pages, and the page template places its own anchors."""
    import markdown  # here, not at the top: `trialoog check` needs it only for unusual texts

    names, configs = extensions or markdown_extensions()
    configs = {**configs, "toc": {**configs.get("toc", {}), "permalink": False}}
    try:
        return markdown.Markdown(extensions=names, extension_configs=configs)
    except (ImportError, TypeError, KeyError, ValueError) as error:
        raise UsageError(f"de Markdown-extensies in mkdocs.yml kunnen niet geladen worden ({type(error).__name__}: {error}): "
                         "controleer de namen en instellingen onder markdown_extensions") from error


class _Shared:
    """One parser per configuration for readers that only need the HTML (the link check).

    Python-Markdown keeps state while converting, so a lock lets a preview's rebuild thread
    and a check share it safely; building a parser costs more than converting a short text."""

    def __init__(self, extensions: Extensions | None) -> None:
        self.parser = converter(extensions)
        self.lock = threading.Lock()

    def convert(self, body: str) -> str:
        with self.lock:
            self.parser.reset()
            return self.parser.convert(body)


@lru_cache(maxsize=8)
def _shared(key: str) -> _Shared:
    return _Shared(json.loads(key) if key else None)


def to_html(body: str, extensions: Extensions | None = None) -> str:
    """`body` as the HTML Python-Markdown makes of it with the base configuration (not yet cleaned)."""
    key = json.dumps(extensions, sort_keys=True) if extensions is not None else ""
    return _shared(key).convert(body)
