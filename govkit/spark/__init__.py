"""govkit on Apache Spark (extra ``spark``): the same plans, executed with ``mapInArrow``.

Nothing here imports pyspark until it is used::

    from govkit.spark import get_session, start_engine, register
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govkit.spark.engine import SparkEngine

__all__ = ["ENGINES", "get_session", "register", "start_engine"]

ENGINES = ("local", "spark")


def get_session(master: str | None = None, **options: Any) -> Any:
    """A Spark session set up for govkit (see :func:`govkit.spark.session.get_session`)."""
    from govkit.spark.session import get_session as _get

    return _get(master, **options)


def start_engine(master: str | None = None, *, debug: bool = False) -> SparkEngine:
    """A :class:`~govkit.spark.engine.SparkEngine` on ``master`` (default ``local[2]``)."""
    from govkit.spark.engine import SparkEngine

    return SparkEngine(get_session(master, debug=debug))


def engine_option(engine: str, master: str | None, *, debug: bool = False) -> SparkEngine | None:
    """The engine the CLI's ``--engine``/``--master`` name (None: the local engine).

    Raises:
        UsageError: an unknown engine, or ``--master`` without ``--engine spark``.
    """
    from govkit.errors import UsageError

    if engine not in ENGINES:
        raise UsageError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "local":
        if master is not None:
            raise UsageError("--master goes with --engine spark")
        return None
    return start_engine(master, debug=debug)


def register(spark: Any, **options: Any) -> list[str]:
    """Register govkit's SQL functions (see :func:`govkit.spark.sql.register`)."""
    from govkit.spark.sql import register as _register

    return _register(spark, **options)
