"""Benchmarks that print figures. They run small by default so the test command stays quick;
``TRAINER_BENCH_FULL=1 pytest tests/benchmarks -s`` runs them at the scale the issues name.
"""

import os

FULL = bool(os.environ.get("TRAINER_BENCH_FULL"))
"""Full scale: 100k cards and 1M reviews, 10k cards and 1000 answers in the TUI."""


def versus(figure: float, reference: float, what: str, unit: str = "s", digits: int = 2) -> str:
    """A figure beside what it is measured against: 'figure 0.41 s, reference 0.50 s (target), ratio
    0.82x'. Below 1x is better than the reference."""
    return (
        f"figure {figure:.{digits}f} {unit}, reference {reference:.{digits}f} {unit} ({what}),"
        f" ratio {figure / reference:.2f}x"
    )
