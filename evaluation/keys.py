"""Pseudonym keys of research extracts.

Each release is keyed afresh: a random key that is used once and never stored, so the
pseudonyms and record numbers of two releases have nothing in common and cannot be joined. A
longitudinal study that must follow people from one release to the next names a key instead;
the named key is made once and kept under data/extract-keys/ (``CASEWORK_EXTRACT_KEYS``),
outside every extract, and the release log records its name and the reason, never the key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from casework import settings

KEY_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
ID_SPACE = 2**53  # record numbers stay exact in JavaScript and spreadsheets


@dataclass(frozen=True)
class ReleaseKey:
    """The key of one release; ``name`` is None for a fresh, one-off key."""

    secret: bytes
    name: str | None = None

    def __repr__(self) -> str:  # the secret must not reach a log or a traceback
        return f"ReleaseKey(name={self.name!r})"


def fresh_key() -> ReleaseKey:
    return ReleaseKey(secrets.token_bytes(32))


def keys_dir() -> Path:
    return Path(os.environ.get("CASEWORK_EXTRACT_KEYS", settings.data_dir() / "extract-keys"))


def named_key(name: str) -> ReleaseKey:
    """The longitudinal key called ``name``, made (readable by its owner only) on first use."""
    if not KEY_NAME.match(name):
        raise ValueError(f"A key name is 1-40 lower-case letters, digits, '-' or '_', "
                         f"starting with a letter or digit; {name!r} is not.")
    path = keys_dir() / f"{name}.key"
    if not path.exists():
        _make_folder(path.parent)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # made meanwhile by another release: use that one
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_hex(32))
    return ReleaseKey(bytes.fromhex(path.read_text("utf-8").strip()), name)


def _make_folder(folder: Path) -> None:
    """The keys' folder, readable by its owner only, and never committed to git."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", "utf-8")


def pseudonym(key: ReleaseKey | bytes, person_id: int) -> str:
    """A person's pseudonym under ``key``: 16 hex digits of HMAC-SHA256."""
    return _mac(key, f"person:{person_id}").hexdigest()[:16]


def record_number(key: ReleaseKey | bytes, kind: str, record_id: int) -> int:
    """A record's number under ``key``: random-looking, so it orders nothing in time."""
    return int.from_bytes(_mac(key, f"{kind}:{record_id}").digest()[:8], "big") % ID_SPACE


def _mac(key: ReleaseKey | bytes, text: str):
    secret = key.secret if isinstance(key, ReleaseKey) else key
    return hmac.new(secret, text.encode(), hashlib.sha256)
