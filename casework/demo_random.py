"""The demo's random numbers: :class:`random.Random` with the same numbers, drawn faster.

``randint``, ``choice``, ``choices`` and small ``sample`` calls here consume the generator's
bits exactly as the standard library's do (CPython's ``_randbelow_with_getrandbits``,
``choices`` by bisecting the cumulative weights) and return the same values, but in one Python
call instead of three or four; the weights of ``choices`` given as a tuple are accumulated once.
A million people draw about fifty numbers each, so the calls' overhead was a large share of the
demo's time. Anything unusual (floats for integers, ``counts``, large samples) goes to
:class:`random.Random` itself.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from itertools import accumulate


class DemoRandom(random.Random):
    _cumulative: dict[tuple, tuple[list, float]] = {}

    def randint(self, a, b):
        if type(a) is not int or type(b) is not int or b < a:
            return super().randint(a, b)
        n = b - a + 1
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return a + r

    def choice(self, seq):
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return seq[r]

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        if k == 1 and weights is None and type(cum_weights) is tuple:
            return self._bisect(population, cum_weights, cum_weights[-1] + 0.0 if cum_weights
                                else 0.0)
        if k != 1 or cum_weights is not None or type(weights) is not tuple:
            return super().choices(population, weights, cum_weights=cum_weights, k=k)
        known = self._cumulative.get(weights)
        if known is None:
            cumulative = tuple(accumulate(weights))
            known = self._cumulative[weights] = (cumulative, cumulative[-1] + 0.0
                                                 if cumulative else 0.0)
        return self._bisect(population, *known)

    def _bisect(self, population, cumulative: tuple, total: float) -> list:
        if len(cumulative) != len(population) or not 0.0 < total < math.inf:
            return super().choices(population, cum_weights=cumulative)  # raises as it would
        return [population[bisect(cumulative, self.random() * total, 0, len(population) - 1)]]

    def sample(self, population, k, *, counts=None):
        # The standard library's pool method, which it uses for k ≤ 5 from at most 21.
        n = len(population) if type(population) in (tuple, list) else -1
        if counts is not None or not 0 <= k <= 5 or not k <= n <= 21:
            return super().sample(population, k, counts=counts)
        pool, result, bits = list(population), [None] * k, self.getrandbits
        for i in range(k):
            m = n - i
            width = m.bit_length()
            j = bits(width)
            while j >= m:
                j = bits(width)
            result[i] = pool[j]
            pool[j] = pool[m - 1]
        return result
