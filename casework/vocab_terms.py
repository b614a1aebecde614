"""Free text to the shared occupation and skill vocabulary (data/occupations.csv, skills.csv).

Job wishes and skill notes are typed as free text on the ledger; postings, courses and persons'
skill lists already use the codes. A piece of text maps when it contains a term: an occupation's
or skill's own name (zh or en), or a term of data/vocabulary_terms.csv (job titles of the
national occupational classification, marked ``national``, and common words, ``common``;
no source at hand gave the classification's codes, so none are listed). What maps to nothing
is kept and shown as the unmapped remainder.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from casework import settings, vocab

SEPARATORS = re.compile(r"[，,、;；/|\n]+|\s{2,}")


@dataclass(frozen=True)
class Mapped:
    """The codes a text maps to, and the pieces of it that map to nothing."""

    codes: tuple[str, ...]
    unmapped: tuple[str, ...]


@cache
def terms() -> tuple[tuple[str, str, str | None], ...]:
    """``(term, occupation, skill or None)``, the longest terms first."""
    found: dict[str, tuple[str, str | None]] = {}
    for code, names in vocab.occupations().items():
        for name in names:
            found.setdefault(name.lower(), (code, None))
    for skill in vocab.skills().values():
        for name in (skill.name_zh, skill.name_en):
            found.setdefault(name.lower(), (skill.occupation, skill.code))
    with open(settings.data_dir() / "vocabulary_terms.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found.setdefault(row["term"].lower(), (row["occupation"], row["skill"] or None))
    ordered = sorted(found.items(), key=lambda kv: (-len(kv[0]), kv[0]))
    return tuple((term, occ, skill) for term, (occ, skill) in ordered)


def map_text(text: str | None, *, to: str) -> Mapped:
    """Map ``text`` to occupation codes (``to="occupation"``) or skill codes (``"skill"``)."""
    if to not in ("occupation", "skill"):
        raise ValueError(f"to must be 'occupation' or 'skill', not {to!r}.")
    codes: list[str] = []
    unmapped: list[str] = []
    for piece in (p.strip() for p in SEPARATORS.split(text or "")):
        if not piece:
            continue
        hits = _hits(piece.lower(), to)
        if hits:
            codes.extend(h for h in hits if h not in codes)
        else:
            unmapped.append(piece)
    return Mapped(tuple(codes), tuple(unmapped))


def _hits(piece: str, to: str) -> list[str]:
    """The codes of the terms in ``piece``, the longest first; a matched term is taken out, so
    a job title (叉车司机) does not also count as the shorter word inside it (司机)."""
    hits = []
    for term, occupation, skill in terms():
        if term in piece:
            piece = piece.replace(term, " ")
            code = occupation if to == "occupation" else skill
            if code:
                hits.append(code)
    return hits
