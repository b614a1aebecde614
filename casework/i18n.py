"""Message catalogue: every visible string, in zh (default) and en."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

LANGUAGES = ("zh", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat ``{key: template}`` catalogue for one language, read once on first use.

    It merges ``{lang}.toml`` with any ``{lang}.<capability>.toml`` beside it, so each
    capability keeps its strings in a file of its own.
    """
    folder = resources.files("casework.messages")
    names = sorted(f.name for f in folder.iterdir()
                   if f.name == f"{lang}.toml" or f.name.startswith(f"{lang}.")
                   and f.name.endswith(".toml"))
    flat: dict[str, str] = {}
    for name in names:
        flat.update(_flatten(tomllib.loads(folder.joinpath(name).read_text("utf-8"))))
    return flat


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


class Message:
    """A catalogue key with its parameters, rendered late in the reader's language.

    ``Message("ids.bad_length")``, ``Message("visits.saved", name=..., date=...)`` or with a dict.
    """

    __slots__ = ("key", "params")

    def __init__(self, key: str, params: dict | None = None, /, **kwargs: object) -> None:
        self.key = key
        self.params = {**(params or {}), **kwargs}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.params!r})"

    def to_json(self) -> dict:
        """A JSON-ready form, so a decision's reasons can be stored and re-rendered later."""
        params = {k: v.to_json() if isinstance(v, Message) else v for k, v in self.params.items()}
        return {"key": self.key, "params": params}

    @classmethod
    def from_json(cls, data: dict) -> Message:
        params = {k: cls.from_json(v) if isinstance(v, dict) else v
                  for k, v in data["params"].items()}
        return cls(data["key"], params)

    def text(self, lang: str) -> str:
        rendered = {k: _param_text(v, lang) for k, v in self.params.items()}
        return t(self.key, lang, **rendered)


def _param_text(value: object, lang: str) -> object:
    return value.text(lang) if isinstance(value, Message) else value
