"""Fixtures for the demo accounts the integration tests act as."""

import pytest


@pytest.fixture
def worker(actors):
    """The demo community worker."""
    return actors["community_worker"]


@pytest.fixture
def officer(actors):
    """The demo street officer: the worker's street."""
    return actors["street_officer"]
