"""DemoRandom draws exactly what random.Random draws, call for call, from the same seed."""

import random

import pytest

from casework.demo_random import DemoRandom

POPULATION = tuple("abcdefghijklmnopqrstu")  # 21: the largest the fast sample takes


def _calls(rng, step: int):
    """One of the demo's kinds of call, chosen by ``step``; its result and the next random()."""
    kind = step % 9
    if kind == 0:
        value = rng.randint(0, step % 1000)
    elif kind == 1:
        value = rng.randint(-5, 2 ** (step % 70))
    elif kind == 2:
        value = rng.choice(POPULATION[: 1 + step % 21])
    elif kind == 3:
        value = rng.choices(POPULATION[:4], (15, 45, 30, 10))
    elif kind == 4:
        value = rng.choices(POPULATION[:3], cum_weights=(1, 1.5, 4))
    elif kind == 5:
        value = rng.sample(list(POPULATION[: 5 + step % 17]), step % 6)
    elif kind == 6:
        value = rng.sample(range(100), 3)
    elif kind == 7:
        value = rng.choices(POPULATION[:2], [3, 1], k=3)
    else:
        value = rng.gauss(0, 60)
    return value, rng.random()


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_same_numbers_as_random(seed):
    ours, theirs = DemoRandom(seed), random.Random(seed)
    for step in range(20_000):
        assert _calls(ours, step) == _calls(theirs, step)


def test_same_errors_as_random():
    for call in (lambda r: r.choice(()), lambda r: r.randint(3, 2),
                 lambda r: r.choices("ab", (0, 0)), lambda r: r.choices("ab", cum_weights=(1,)),
                 lambda r: r.sample((1, 2), 3)):
        with pytest.raises((IndexError, ValueError)) as ours:
            call(DemoRandom(1))
        with pytest.raises((IndexError, ValueError)) as theirs:
            call(random.Random(1))
        assert type(ours.value) is type(theirs.value)
