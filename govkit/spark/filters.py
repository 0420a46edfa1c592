"""An access decision's row filter as a Spark column expression.

Same meaning as :meth:`govkit.policy.views.RowFilter.mask`: any allow group (each a
conjunction) and every restriction; a null never matches (fail closed); on a text
column booleans match ``true``/``false``. Literals come from the policy, never from
the data, and are cast to the column's type — the data is never cast, so a Spark
cast error cannot quote a value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govkit.errors import ProtectionError
from govkit.policy.views import Condition, RowFilter

if TYPE_CHECKING:
    from pyspark.sql import Column
    from pyspark.sql.types import StructType


def _literal(value: Any, kind: Any) -> Column:
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    if isinstance(kind, StringType):
        return F.lit(str(value).lower() if isinstance(value, bool) else str(value))
    return F.lit(value).cast(kind)


def condition(cond: Condition, schema: StructType) -> Column:
    """One condition; null → false."""
    from pyspark.sql import functions as F

    if cond.column not in schema.fieldNames():
        raise ProtectionError(
            f"row filter needs column {cond.column!r}, not in the data (fail closed)"
        )
    column = F.col(f"`{cond.column}`")
    kind = schema[cond.column].dataType
    if cond.op == "is_null":
        return column.isNull()
    if cond.op == "not_null":
        return column.isNotNull()
    if cond.op in ("in", "not_in"):
        values = cond.value if isinstance(cond.value, list) else [cond.value]
        hit = F.coalesce(column.isin(*[_literal(v, kind) for v in values]), F.lit(False))
        return hit if cond.op == "in" else (~hit) & column.isNotNull()
    value = _literal(cond.value, kind)
    test = {
        "==": column == value,
        "!=": column != value,
        ">": column > value,
        ">=": column >= value,
        "<": column < value,
        "<=": column <= value,
    }[cond.op]
    return F.coalesce(test, F.lit(False))


def row_filter_column(row_filter: RowFilter | None, schema: StructType) -> Column | None:
    """The whole filter (None when every row passes)."""
    from pyspark.sql import functions as F

    if row_filter is None or (not row_filter.any_of and not row_filter.all_of):
        return None
    keep = F.lit(True)
    if row_filter.any_of:
        allowed = F.lit(False)
        for group in row_filter.any_of:
            both = F.lit(True)
            for cond in group:
                both = both & condition(cond, schema)
            allowed = allowed | both
        keep = allowed
    for cond in row_filter.all_of:
        keep = keep & condition(cond, schema)
    return keep
