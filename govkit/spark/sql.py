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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from govkit.errors import UsageError
from govkit.models import AuditEvent
from govkit.protect.keys import DataKey, KeyProvider
from govkit.protect.registry import build, transform_class

if TYPE_CHECKING:
    from govkit.governor import Governor

FUNCTIONS = {
    "govkit_mask": "mask",
    "govkit_hash": "hash",
    "govkit_tokenize": "tokenize",
    "govkit_generalize": "generalize",
}


def _entity_of(entities: pa.Array) -> str | None:
    distinct = [e for e in entities.unique().to_pylist() if e is not None]
    if len(distinct) > 1:
        raise ValueError("the entity argument must be one constant per call")
    return str(distinct[0]) if distinct else None


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
            raise RuntimeError(
                f"govkit-spark-failure: {transform} ({type(exc).__name__})"
            ) from None

    return apply


def register(
    spark: Any,
    *,
    keys: KeyProvider | None = None,
    governor: Governor | None = None,
    functions: Sequence[str] = tuple(FUNCTIONS),
    params: dict[str, dict[str, Any]] | None = None,
) -> list[str]:
    """Register govkit's SQL functions on a session; return their names.

    Args:
        spark: the Spark session.
        keys: the key provider (default: the keyring of the governor's settings).
        governor: where the registration is audited (default: from the environment).
        functions: which of :data:`FUNCTIONS` to register.
        params: transform parameters per function name (default: the transforms'
            defaults, as the pipeline's entity rules without parameters use them).

    Raises:
        UsageError: an unknown function name.
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
    if keyed:
        governor.record(
            AuditEvent(
                action="spark.register",
                columns=[],
                details={
                    "functions": ",".join(keyed),
                    "keys": ",".join(sorted({k.id for f in keyed for k in made[f][2]})),
                    "spark_app_id": str(spark.sparkContext.applicationId),
                    "spark_master": str(spark.sparkContext.master),
                },
            )
        )
    for name, (transform, options, handed) in made.items():
        spark.udf.register(name, arrow_udf(_function(transform, options, handed), "string"))  # type: ignore[call-overload]
    return list(made)
