"""Message catalogue: every visible string, in zh (default) and en."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

LANGUAGES = ("zh", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat ``{key: template}`` catalogue for one language, read once on first use."""
    raw = resources.files("casework.messages").joinpath(f"{lang}.toml").read_text("utf-8")
    return _flatten(tomllib.loads(raw))


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def t(key: str, lang: str = "zh", **params: object) -> str:
    """Render ``key`` in ``lang``; an unknown key shows itself, so a gap is visible, not fatal."""
    template = catalogue(lang if lang in LANGUAGES else "zh").get(key, key)
    return template.format_map(_Params(params)) if params else template


class _Params(dict):
    """A missing parameter shows as ``{name}`` rather than failing the whole message."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


@dataclass(frozen=True)
class Message:
    """A catalogue key with its parameters, rendered late in the reader's language."""

    key: str
    params: dict = field(default_factory=dict)

    def text(self, lang: str) -> str:
        rendered = {k: _param_text(v, lang) for k, v in self.params.items()}
        return t(self.key, lang, **rendered)


def _param_text(value: object, lang: str) -> object:
    return value.text(lang) if isinstance(value, Message) else value
