"""One BLAS thread for the estimators.

Their matrices are tall and narrow (a row per person and course, a few dozen covariates), so
more threads gain little; and on a server where every page's kernel shares a few cores,
OpenBLAS threads that spin waiting for a busy core made one logit fit on 92,000 rows take
15-20 s instead of 1 s (benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

F = TypeVar("F", bound=Callable)


def one_blas_thread(func: F) -> F:
    """Run ``func`` with BLAS and LAPACK limited to one thread (restored afterwards)."""
    @wraps(func)
    def limited(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            return func(*args, **kwargs)
    return limited  # type: ignore[return-value]
