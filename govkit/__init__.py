"""govkit: a privacy and data-governance gate in front of customer analytics."""

__version__ = "0.1.0"
