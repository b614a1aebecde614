"""Driving ipywidgets in Chromium: the same three moves every browser test makes."""

from __future__ import annotations


def labels(select) -> list[str]:
    """A select's option labels; ipywidgets renders their spaces as no-break spaces."""
    texts = select.evaluate("s => Array.from(s.options).map(o => o.text)")
    return [text.replace("\xa0", " ") for text in texts]


def choose(select, matches) -> str:
    """Select the first option whose label ``matches``; returns that label."""
    found = labels(select)
    index = next(i for i, label in enumerate(found) if matches(label))
    select.select_option(index=index)
    return found[index]


def type_text(field, text: str) -> None:
    field.fill(text)
    field.press("Tab")  # text fields sync on blur (continuous_update=False)
