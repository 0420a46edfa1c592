"""govkit's transforms as Spark SQL functions, for teams that work in SQL.

``register(spark)`` adds ``govkit_mask``, ``govkit_hash``, ``govkit_tokenize`` and
``govkit_generalize``; each takes ``(value, entity)`` and runs the very transform
class the pipeline runs, with the same default parameters and the same active
keys, vectorised over Arrow arrays (``arrow_udf``)::

    SELECT govkit_tokenize(phone, 'PHONE_NUMBER') FROM crm

gives the tokens ``govkit run`` writes for a ``PHONE_NUMBER`` column. Keys are
unwrapped on the driver and travel only inside the functions' closures (never in a
query plan, conf or log). Registering a function that uses a key is an audited
event (``spark.register``).

The reveal counterpart, ``govkit_reveal(value, column)``, reverses a column of a
protected output (tokenize, encrypt, FPE — what ``govkit reveal`` reverses) with the
transform and key its manifest names. It is registered only with a :class:`Reveal`
grant, and only after the same check ``govkit reveal`` makes: the role's view of
every granted column must be ``raw`` for the purpose (a refusal is a recorded
``reveal`` denial and nothing is registered).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from govkit.errors import UsageError
from govkit.models import AuditEvent
from govkit.protect.keys import DataKey, KeyProvider
from govkit.protect.registry import build, transform_class
from govkit.spark.protect import MARK  # the literal must not stand in a traceback's source line

if TYPE_CHECKING:
    from govkit.governor import Governor
    from govkit.protect.base import Transform

FUNCTIONS = {
    "govkit_mask": "mask",
    "govkit_hash": "hash",
    "govkit_tokenize": "tokenize",
    "govkit_generalize": "generalize",
}


REVEAL = "govkit_reveal"


@dataclass(frozen=True)
class Reveal:
    """A grant to register ``govkit_reveal`` for some columns of one protected output.

    Attributes:
        manifest: the manifest ``govkit protect``/``run`` wrote beside the output.
        columns: the columns ``govkit_reveal(value, column)`` may reverse.
        role: the role asking (its view of each column must be ``raw``).
        purpose: the declared purpose.
    """

    manifest: Path
    columns: Sequence[str]
    role: str
    purpose: str


def _constant(values: pa.Array, what: str) -> str | None:
    distinct = [e for e in values.unique().to_pylist() if e is not None]
    if len(distinct) > 1:
        raise ValueError(f"the {what} argument must be one constant per call")
    return str(distinct[0]) if distinct else None


def _entity_of(entities: pa.Array) -> str | None:
    return _constant(entities, "entity")


def _reveal_function(
    openers: dict[str, Transform], keys: Sequence[DataKey]
) -> Callable[[pa.Array, pa.Array], pa.Array]:
    handed = list(keys)

    def apply(values: pa.Array, columns: pa.Array) -> pa.Array:
        from govkit.engines.batch import HandedKeys

        try:
            column = _constant(columns, "column")
            if column not in openers:
                raise ValueError("column not granted")
            return openers[column].reveal(values.cast(pa.string()), HandedKeys(handed))
        except Exception as exc:  # noqa: BLE001 - its text may quote data: keep the class only
            raise RuntimeError(f"{MARK}reveal ({type(exc).__name__})") from None

    return apply


def reveal_udf(openers: dict[str, Transform], keys: Sequence[DataKey]) -> Any:
    """``govkit_reveal`` as a column function, ``f(value, lit(column))``: ``govkit reveal --engine spark``."""
    from pyspark.sql.pandas.functions import arrow_udf

    return arrow_udf(_reveal_function(openers, keys), "string")  # type: ignore[call-overload]


def _grant(
    governor: Governor, keys: KeyProvider | None, reveal: Reveal
) -> tuple[dict[str, Transform], list[DataKey]]:
    """The authorised openers and the keys their manifest names (refusals recorded)."""
    from govkit.protect.keys import open_keyring
    from govkit.protect.reveal import authorised_openers, reveal_keys

    made_by, openers = authorised_openers(
        governor, reveal.manifest, reveal.columns, reveal.role, reveal.purpose
    )
    return openers, reveal_keys(made_by, openers, keys or open_keyring(governor.settings))


def _function(
    transform: str, params: dict[str, Any], keys: Sequence[DataKey]
) -> Callable[[pa.Array, pa.Array], pa.Array]:
    handed = list(keys)

    def apply(values: pa.Array, entities: pa.Array) -> pa.Array:
        from govkit.engines.batch import HandedKeys

        try:
            entity = _entity_of(entities)
            built = build(transform, params, column="sql", entity=entity, keys=HandedKeys(handed))
            return built.apply(values.cast(pa.string()))
        except Exception as exc:  # noqa: BLE001 - its text may quote data: keep the class only
            raise RuntimeError(f"{MARK}{transform} ({type(exc).__name__})") from None

    return apply


def register(
    spark: Any,
    *,
    keys: KeyProvider | None = None,
    governor: Governor | None = None,
    functions: Sequence[str] = tuple(FUNCTIONS),
    params: dict[str, dict[str, Any]] | None = None,
    reveal: Reveal | None = None,
) -> list[str]:
    """Register govkit's SQL functions on a session; return their names.

    Args:
        spark: the Spark session.
        keys: the key provider (default: the keyring of the governor's settings).
        governor: where the registration is audited (default: from the environment).
        functions: which of :data:`FUNCTIONS` to register.
        params: transform parameters per function name (default: the transforms'
            defaults, as the pipeline's entity rules without parameters use them).
        reveal: also register ``govkit_reveal`` for these columns, if the role may
            see them raw (checked and recorded as ``govkit reveal`` does).

    Raises:
        UsageError: an unknown function name.
        AccessDeniedError: the ``reveal`` grant's role may not see a column raw
            (recorded; nothing is registered).
        KeyMaterialError: a key the functions need is missing.
        AuditError: the registration could not be audited (nothing is registered).
    """
    from pyspark.sql.pandas.functions import arrow_udf

    unknown = [f for f in functions if f not in FUNCTIONS]
    if unknown:
        raise UsageError(f"unknown govkit SQL function {unknown[0]!r} ({', '.join(FUNCTIONS)})")
    if governor is None:
        from govkit.governor import Governor

        governor = Governor()
    keyed = [f for f in functions if transform_class(FUNCTIONS[f]).key_purpose is not None]
    if keyed and keys is None:
        from govkit.protect.keys import open_keyring

        keys = open_keyring(governor.settings)
    made: dict[str, tuple[str, dict[str, Any], list[DataKey]]] = {}
    for name in functions:
        transform = FUNCTIONS[name]
        options = dict((params or {}).get(name, {}))
        probe = build(transform, options, column="sql", entity=None, keys=keys)
        made[name] = (transform, options, [probe.key] if probe.key is not None else [])
    granted = _grant(governor, keys, reveal) if reveal is not None else None
    key_ids = {k.id for f in keyed for k in made[f][2]}
    if granted is not None:
        key_ids |= {k.id for k in granted[1]}
    if keyed or granted is not None:
        details: dict[str, str | int | float | bool | None] = {
            "functions": ",".join([*keyed, *([REVEAL] if granted is not None else [])]),
            "keys": ",".join(sorted(key_ids)),
            "spark_app_id": str(spark.sparkContext.applicationId),
            "spark_master": str(spark.sparkContext.master),
        }
        governor.record(
            AuditEvent(
                action="spark.register",
                columns=list(reveal.columns) if reveal is not None else [],
                role=reveal.role if reveal is not None else None,
                purpose=reveal.purpose if reveal is not None else None,
                details=details,
            )
        )
    for name, (transform, options, handed) in made.items():
        spark.udf.register(name, arrow_udf(_function(transform, options, handed), "string"))  # type: ignore[call-overload]
    if granted is not None:
        spark.udf.register(REVEAL, reveal_udf(*granted))
        return [*made, REVEAL]
    return list(made)
