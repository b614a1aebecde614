"""Which folder ``?extract=NAME`` may name: only one under the configured extracts folder.

The name comes from a page's address, so anyone who can open the page chooses it. It may not be
a full path, climb out with ``..``, or leave the folder through a link; each refusal says why.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from casework.errors import CaseworkError


class ExtractPathRefused(CaseworkError):
    """``?extract=`` named something other than a folder under the extracts folder."""

    def __init__(self, problem: str, *, name: str, base: Path) -> None:
        super().__init__(f"access.extract.{problem}", name=name, base=str(base))
        self.problem = problem


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an extract under the extracts folder, judged by its text alone
    (``"empty"``, ``"absolute"``, ``"parent"``), or None."""
    if not name.strip() or "\x00" in name:
        return "empty"
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).anchor or name[0] in "/\\~":
        return "absolute"
    if ".." in name.replace("\\", "/").split("/"):
        return "parent"
    return None


def extract_under(base: Path, name: str) -> Path:
    """The folder ``name`` names under ``base``, with links resolved; refused with
    ``ExtractPathRefused`` when the text is not a plain relative name, or when the resolved
    folder is not strictly under ``base`` (a link that leads out, or ``base`` itself)."""
    problem = name_problem(name)
    if problem:
        raise ExtractPathRefused(problem, name=name, base=base)
    root = base.resolve()
    folder = (root / name).resolve()
    if folder == root or not folder.is_relative_to(root):
        raise ExtractPathRefused("outside", name=name, base=base)
    return folder
