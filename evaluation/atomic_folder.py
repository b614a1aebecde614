"""A folder written whole or not at all, for research extracts.

The files go into a hidden sibling of the target (``.<name>.partial-<pid>-<token>``), each
synced to disk. ``publish`` then puts the sibling in the target's place in one step: on Linux
``renameat2(RENAME_EXCHANGE)`` swaps the two folders atomically, so a process killed at any
moment leaves the target as the old folder or as the complete new one, never half of each and
never absent. Elsewhere the swap falls back to two renames; a kill between them leaves the old
folder under ``.<name>.old-<pid>-<token>``, which the next ``sweep`` of that target puts back.

A folder is only replaced if it is empty or holds an extract (its ``manifest.json``): pointing
``--out`` at some other folder must not delete it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MARKER = "manifest.json"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def may_replace(target: Path) -> bool:
    """Whether ``target`` is absent, an empty folder or an extract folder."""
    if not target.exists():
        return True
    return target.is_dir() and (not any(target.iterdir()) or (target / MARKER).is_file())


def staging(target: Path) -> Path:
    """A new empty hidden folder beside ``target`` for the files of its next version."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = target.parent / f".{target.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir()
    return folder


def synced(path: Path) -> None:
    """Flush a written file (or a folder's entries) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Published:
    """A staged folder now in the target's place; ``old`` holds the previous one, if any."""

    target: Path
    old: Path | None

    def finish(self) -> None:
        """Delete the previous version: the new one is final."""
        if self.old is not None:
            shutil.rmtree(self.old, ignore_errors=True)

    def undo(self) -> None:
        """Put the previous version back (or remove the new folder if there was none)."""
        if self.old is None:
            shutil.rmtree(self.target, ignore_errors=True)
            return
        _exchange(self.old, self.target)
        shutil.rmtree(self.old, ignore_errors=True)


def replace(target: Path, *, write: Callable[[Path], None], then: Callable[[], None]) -> None:
    """Write the new version of ``target`` with ``write(folder)``, put it in place, then call
    ``then`` (the commit of the release's log row).

    In this order a process killed at any point never leaves a log row naming a folder that is
    not there: before the swap, ``target`` is still the old folder and nothing is committed;
    between the swap and ``then``, ``target`` is the complete new folder and no row claims it
    yet (the uncommitted row dies with the process). Should ``then`` raise, the old folder is
    put back.
    """
    staged = staging(target)
    try:
        write(staged)
        published = publish(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    try:
        then()
    except BaseException:
        published.undo()
        raise
    published.finish()


def publish(staged: Path, target: Path) -> Published:
    """Put ``staged`` in the place of ``target`` in one step (see the module's docstring)."""
    for path in staged.iterdir():
        synced(path)
    synced(staged)
    if not target.exists():
        os.rename(staged, target)
        synced(target.parent)
        return Published(target, None)
    _exchange(staged, target)
    synced(target.parent)
    return Published(target, staged)


def sweep(target: Path) -> None:
    """Clear what a killed writer of ``target`` left beside it: a partial folder is removed,
    an old version whose target is missing (the two-rename fallback) is put back."""
    if not target.parent.is_dir():
        return
    for path in sorted(target.parent.glob(f".{target.name}.*-*-*")):
        kind, _, rest = path.name.removeprefix(f".{target.name}.").partition("-")
        pid = rest.split("-")[0]
        if kind not in ("partial", "old") or not pid.isdigit() or _alive(int(pid)):
            continue
        if kind == "old" and not target.exists():
            os.rename(path, target)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> None:
    """Swap two existing folders atomically; two renames where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                     _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(b))
    aside = b.parent / f".{b.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def _renameat2():
    """The C library's renameat2 (glibc 2.28 and later), or None."""
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except OSError:
        return None
