"""détente: prepare, run and report Track-2 dialogues that include a crisis tabletop exercise."""

__version__ = "0.1.0"
