"""Every name the package documents imports from ``evaluation`` itself."""

import importlib
import re
from pathlib import Path

import pytest

import evaluation

PACKAGE = Path(evaluation.__file__).parent


@pytest.mark.parametrize("name", evaluation.__all__)
def test_every_public_name_imports_from_the_package(name):
    value = getattr(evaluation, name)

    assert value is not None
    assert name in dir(evaluation)


def test_the_names_a_researcher_starts_with_import_directly():
    from evaluation import load_extract, training_effect  # noqa: F401


def documented_names() -> set[str]:
    """Every ``evaluation.name(`` the package's own docstrings and comments mention."""
    text = "\n".join(p.read_text("utf-8") for p in PACKAGE.glob("*.py"))
    return set(re.findall(r"evaluation\.([a-z_][A-Za-z_]*)\(", text))


@pytest.mark.parametrize("name", sorted(documented_names()))
def test_what_the_docstrings_call_exists(name):
    assert name in evaluation.__all__ or importlib.util.find_spec(f"evaluation.{name}")


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        evaluation.nothing  # noqa: B018
