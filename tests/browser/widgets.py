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


def pick_person(scope, person_id: int, *, text: str | None = None, field: str = "person") -> str:
    """Type ``text`` (the record number unless given) into a person picker's search box, wait
    for the person to be offered, and choose them; returns the option's label."""
    scope.locator(f".cw-field-{field}_search input").fill(text or f"#{person_id}")
    select = scope.locator(f".cw-field-{field} select")
    select.locator("option", has_text=f"({person_id})").wait_for(state="attached")
    return choose(select, lambda label: label.endswith(f"({person_id})"))
