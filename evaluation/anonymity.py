"""k-anonymity over a table's quasi-identifiers: generalise where needed, then suppress.

Local recoding, top-down. All rows start fully generalised (every quasi-identifier missing) in
one group. A group is refined one rung of one ladder at a time (``evaluation.hierarchies``):
the rows that fall into sub-groups of at least k rows take the finer value, and the rest stay
together at the coarser value, topped up with the smallest sub-groups until they are k or more
themselves (the rest may still be refined on that ladder later, within a smaller group). A
group that no ladder can refine any further is final. Every final group thus holds at least k
rows that share the same value in every quasi-identifier; the group that never left the top is
the suppressed rows, which lose every quasi-identifier. (A table of fewer than k rows is
suppressed whole: it cannot hold a group of k.)

Among the refinements possible, those that make nearly as many rows finer as the best (within
``slack``) compete, and the one the ``plan`` lists first wins: the release policy's plan says
what to keep when several could be kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.hierarchies import EDUCATION_GROUPS, Ladder

__all__ = ["EDUCATION_GROUPS", "Anonymised", "make_k_anonymous", "smallest_class"]


@dataclass(frozen=True)
class Anonymised:
    """The table made k-anonymous, and what it cost."""

    frame: pd.DataFrame
    k: int  # rows in the smallest group of equal quasi-identifiers (0 for an empty table)
    coarsened: dict[str, int]  # per column: rows shown less precisely than recorded
    suppressed: int  # rows with every quasi-identifier missing


def make_k_anonymous(frame: pd.DataFrame, ladders: tuple[Ladder, ...], *, k: int,
                     plan: tuple[tuple[str, int], ...] = (), slack: float = 0.1) -> Anonymised:
    """Generalise the ladders' columns of ``frame`` until every combination of them occurs
    in at least ``k`` rows; the other columns are left as they are.

    ``plan`` orders the refinements, as (ladder name, rung counted from the top); steps it
    leaves out come after it, ladder by ladder. A table of fewer than ``k`` rows is
    suppressed whole.
    """
    if k < 2:
        raise ValueError("k must be at least 2 for k-anonymity to mean anything.")
    frame = frame.reset_index(drop=True)
    columns = [c for ladder in ladders for c in ladder.columns]
    rungs = [ladder.rungs(frame) for ladder in ladders]
    codes = [[np.zeros(len(frame), dtype=np.int64)]
             + [_row_codes(r) for r in reversed(rung)] for rung in rungs]
    rank = _ranks(ladders, [len(r) for r in rungs], plan)
    levels = _partition(codes, rank, len(frame), k, slack)
    out = frame.copy()
    for j, ladder in enumerate(ladders):
        shown = pd.DataFrame(None, index=frame.index, columns=list(ladder.columns),
                             dtype="object")
        for level in range(1, len(rungs[j]) + 1):
            rows = levels[:, j] == level
            shown.loc[rows] = rungs[j][len(rungs[j]) - level].loc[rows].to_numpy()
        for column in ladder.columns:
            out[column] = shown[column].where(shown[column].notna(), None).astype("object")
    finest = pd.concat([rung[0] for rung in rungs], axis=1) if rungs else frame[[]]
    coarsened = {c: int((_text(out[c]) != _text(finest[c])).sum()) for c in columns}
    suppressed = int((levels == 0).all(axis=1).sum()) if len(frame) else 0
    return Anonymised(out, smallest_class(out, columns), coarsened, suppressed)


def smallest_class(frame: pd.DataFrame, columns: list[str]) -> int:
    """Rows in the smallest group of equal values of ``columns`` (missing equals missing)."""
    if frame.empty:
        return 0
    if not columns:
        return len(frame)
    keys = frame[columns].astype("string").fillna("\x00")
    return int(keys.groupby(columns, dropna=False).size().min())


def _text(column: pd.Series) -> pd.Series:
    return column.astype("string").fillna("\x00")


def _row_codes(rung: pd.DataFrame) -> np.ndarray:
    """One integer per distinct row of the rung (missing is a value like any other)."""
    keys = rung.astype("string").fillna("\x00")
    return keys.groupby(list(keys.columns), dropna=False, sort=False).ngroup().to_numpy()


def _ranks(ladders, depths, plan) -> np.ndarray:
    """rank[j, level]: where refining ladder j from ``level`` to ``level + 1`` comes in the
    plan (steps not in the plan come after it, ladder by ladder)."""
    order = {step: i for i, step in enumerate(plan)}
    rank = np.zeros((len(ladders), max(depths, default=0) + 1), dtype=np.int64)
    for j, ladder in enumerate(ladders):
        for level in range(depths[j]):
            rank[j, level] = order.get((ladder.name, level + 1), len(plan) + 100 * j + level)
    return rank


def _partition(codes: list[list[np.ndarray]], rank: np.ndarray, n: int, k: int,
               slack: float) -> np.ndarray:
    """The level each row reaches on each ladder (0: missing; len(codes[j]) - 1: as recorded).
    """
    depth = np.array([len(c) - 1 for c in codes])
    levels = np.zeros((n, len(codes)), dtype=np.int64)
    stack = [(np.arange(n), np.zeros(len(codes), dtype=np.int64),
              np.zeros(len(codes), dtype=bool))]
    while stack:
        rows, level, done = stack.pop()
        done = done.copy()
        splits = {}
        for j in np.flatnonzero(~done & (level < depth)):
            split = _split(codes[j][level[j] + 1][rows], k)
            if split is None:
                done[j] = True  # no subset of these rows can be refined on it either
            elif split[0]:
                splits[j] = split
        if not splits:
            levels[rows] = level
            continue
        most = max(gain for gain, _kept in splits.values())
        j = min((j for j, (gain, _kept) in splits.items() if gain >= (1 - slack) * most),
                key=lambda j: rank[j, level[j]])
        child = codes[j][level[j] + 1][rows]
        kept = splits[j][1]
        finer = level.copy()
        finer[j] += 1
        stack.extend((rows[g], finer, done) for g in _groups(child, kept))
        if not kept.all():  # the rest stays coarser on this ladder (maybe not in subsets)
            stack.append((rows[~kept], level, done))
    return levels


def _split(child: np.ndarray, k: int) -> tuple[int, np.ndarray] | None:
    """How many rows a refinement makes finer, and which rows keep their value's own group
    (values of k rows or more, less the smallest needed to leave the rest none or k rows or
    more). None when no value has k rows, here or in any subset of these rows; a gain of 0 when
    some have, but the rest would be too few.

    Values are counted in their order; when the codes run far beyond the rows (a small group
    of a large table), over the values present only: a count per code of the whole table for
    each of thousands of small groups made large extracts quadratic.
    """
    if len(child) and int(child.max()) > 4 * len(child) + 64:
        _values, local = np.unique(child, return_inverse=True)
    else:
        local = child
    counts = np.bincount(local)
    kept = counts >= k
    if not kept.any():
        return None
    rest = int(counts[~kept].sum())
    if 0 < rest < k:
        present = np.flatnonzero(counts)
        for value in present[np.argsort(counts[present], kind="stable")]:
            if rest >= k:
                break
            if kept[value]:
                kept[value] = False
                rest += int(counts[value])
    return len(child) - rest, kept[local]


def _groups(child: np.ndarray, kept: np.ndarray) -> list[np.ndarray]:
    """Positions of the kept rows, one array per value."""
    positions = np.flatnonzero(kept)
    positions = positions[np.argsort(child[positions], kind="stable")]
    values = child[positions]
    cuts = np.flatnonzero(values[1:] != values[:-1]) + 1
    return np.split(positions, cuts)
