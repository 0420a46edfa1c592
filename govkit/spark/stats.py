"""Additive counters carried from executors to the driver (no values, only integers)."""

from __future__ import annotations

from pyspark.accumulators import AccumulatorParam


class CountsParam(AccumulatorParam[dict[str, int]]):
    """A Spark accumulator of named integer counters (summed per name)."""

    def zero(self, value: dict[str, int]) -> dict[str, int]:
        """An empty set of counters."""
        return {}

    def addInPlace(self, value1: dict[str, int], value2: dict[str, int]) -> dict[str, int]:
        """Add ``value2``'s counters to ``value1``."""
        for name, count in value2.items():
            value1[name] = value1.get(name, 0) + count
        return value1
