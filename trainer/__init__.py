"""trainer: a spaced-repetition flashcard trainer for the terminal."""

__version__ = "0.1.0"
