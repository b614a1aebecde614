"""Where the browser tests leave screenshots: ``$CASEWORK_SCREENSHOTS``, else
``test-results/screenshots`` (git-ignored)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def screenshot_dir() -> Path:
    folder = Path(os.environ.get("CASEWORK_SCREENSHOTS") or ROOT / "test-results" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_screenshot(page, name: str) -> Path:
    """A full-page PNG of ``page`` named ``name``; returns its path."""
    path = screenshot_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
