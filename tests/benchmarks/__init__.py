"""Benchmarks that print figures. They run small by default so the test command stays quick;
``TRAINER_BENCH_FULL=1 pytest tests/benchmarks -s`` runs them at the scale the issues name.
"""

import os

FULL = bool(os.environ.get("TRAINER_BENCH_FULL"))
"""Full scale: 100k cards and 1M reviews, 10k cards and 1000 answers in the TUI."""
