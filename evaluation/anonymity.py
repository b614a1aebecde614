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

    Every group still being refined is refined in the same pass, with numpy over all their
    rows (one pass per generation of the partition, not one per group: a million persons
    make hundreds of thousands of groups). A group's outcome is that of refining it alone.
    """
    depth = np.array([len(c) - 1 for c in codes])
    stacked = [np.vstack(c) for c in codes]
    levels = np.zeros((n, len(codes)), dtype=np.int64)
    done = np.zeros((n, len(codes)), dtype=bool)  # no subset of the group can be refined on it
    rows, group, groups = np.arange(n), np.zeros(n, dtype=np.int64), 1 if n else 0
    while rows.size:
        size = np.bincount(group, minlength=groups)
        gains = np.full((groups, len(codes)), -1, dtype=np.int64)
        found = {}
        for j in range(len(codes)):
            level = levels[rows, j]
            at = np.flatnonzero(~done[rows, j] & (level < depth[j]))
            if at.size:
                child = stacked[j][level[at] + 1, rows[at]]
                gain, kept, none = _splits(group[at], child, size, k)
                done[rows[at[none[group[at]]]], j] = True
                gains[:, j] = gain
                found[j] = (at, child, kept)
        gains = np.where(gains > 0, gains, -1)
        most = gains.max(axis=1)
        usable = (gains > 0) & (gains >= (1 - slack) * most[:, None])
        one_row = np.zeros(groups, dtype=np.int64)
        one_row[group] = rows
        order = rank[np.arange(len(codes))[None, :], levels[one_row]]
        chosen = np.argmin(np.where(usable, order, np.iinfo(np.int64).max), axis=1)
        going = usable.any(axis=1)
        child = np.full(rows.size, -1, dtype=np.int64)
        for j, (at, values, kept) in found.items():
            mine = going[group[at]] & (chosen[group[at]] == j)
            finer = at[mine & kept]
            levels[rows[finer], j] += 1
            child[finer] = values[mine & kept]
        live = going[group]
        rows, group, child = rows[live], group[live], child[live]
        keys = group * (int(child.max(initial=-1)) + 2) + child + 1
        group = pd.factorize(keys)[0].astype(np.int64)
        groups = int(group.max(initial=-1)) + 1
    return levels


def _splits(group: np.ndarray, child: np.ndarray, size: np.ndarray, k: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One ladder's next rung for many groups at once.

    Per group: how many rows the refinement makes finer (-1 when none), and whether no value
    has k rows (then none has in any subset of the group either); per row, whether it keeps
    its value's own group. A value keeps its group with k rows or more, less the smallest
    such values (by count, then value) needed to leave the rest of the group none or k rows
    or more; a gain of 0 when the rest would still be too few.
    """
    width = int(child.max()) + 1
    # Hashed, not sorted: nothing below depends on the order of the (group, value) pairs.
    inverse, keys = pd.factorize(group * width + child)
    counts = np.bincount(inverse)
    owner, value = keys // width, keys % width
    kept = counts >= k
    present = np.bincount(group, minlength=size.size) > 0
    none = present & (np.bincount(owner, weights=kept, minlength=size.size) == 0)
    rest = np.bincount(owner, weights=counts * ~kept, minlength=size.size)
    short = (rest > 0) & (rest < k)
    topped = np.flatnonzero(kept & short[owner])
    if topped.size:
        # Unkeep the smallest kept values (by count, then value) until the rest has k rows.
        topped = topped[np.lexsort((value[topped], counts[topped], owner[topped]))]
        sums = np.cumsum(counts[topped]) - counts[topped]
        starts = np.flatnonzero(np.r_[True, owner[topped][1:] != owner[topped][:-1]])
        before = sums - np.repeat(sums[starts], np.diff(np.r_[starts, topped.size]))
        kept[topped[rest[owner[topped]] + before < k]] = False
        rest = np.bincount(owner, weights=counts * ~kept, minlength=size.size)
    gain = np.where(present & ~none, size - rest, -1).astype(np.int64)
    return gain, kept[inverse], none
