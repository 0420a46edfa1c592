"""Database tables through Spark's JDBC data source, named as the local engine names them.

A database source or output is the same SQLAlchemy URL plus ``table`` (or, for a source,
``query``) on both engines, so one ``pipeline.yaml`` runs on either::

    uri: postgresql://govkit@db.example/warehouse     table: customers
    uri: mysql+pymysql://root@127.0.0.1/test          table: customers

The Spark engine turns the URL into a JDBC URL (``jdbc:postgresql://…``, and
``jdbc:mysql://…`` through MariaDB's driver for MySQL and MariaDB) with the user and password as connection
properties, never inside the JDBC URL. The drivers are Debian's jars
(``libpostgresql-jdbc-java``, ``libmariadb-java``: ``/usr/share/java/postgresql.jar``,
``/usr/share/java/mariadb-java-client.jar``), put on the session's ``spark.jars`` when
present — nothing is downloaded at run time. On a real cluster pass the jars with
``spark-submit --jars``.

Outputs are written by Spark into a staging table of the target database
(``_govkit_stage_…``, the local engine's staging name) and swapped in by the run's
publisher with the local engine's code (:func:`govkit.pipeline.tables.swap_tables`):
one transaction on PostgreSQL, one ``RENAME TABLE`` statement on MySQL/MariaDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.datasets.uri import redact_url
from govkit.errors import DatasetError, UsageError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

JARS = {
    "postgresql": Path("/usr/share/java/postgresql.jar"),
    "mariadb": Path("/usr/share/java/mariadb-java-client.jar"),
}
"""Debian's JDBC driver jars (``apt-get install libpostgresql-jdbc-java libmariadb-java``)."""

# MySQL and MariaDB go through MariaDB's driver under the ``jdbc:mysql:`` scheme: Spark picks
# its SQL dialect by that prefix, and only its MySQL dialect quotes names with backticks (the
# generic dialect's double quotes are string literals there: every value would read as the
# column's name). ``permitMysqlScheme`` lets MariaDB's driver 3.x accept the scheme (2.x does).
_DRIVERS = {
    "postgresql": ("postgresql", "org.postgresql.Driver", 5432, ""),
    "mysql": ("mysql", "org.mariadb.jdbc.Driver", 3306, "?permitMysqlScheme"),
    "mariadb": ("mysql", "org.mariadb.jdbc.Driver", 3306, "?permitMysqlScheme"),
}


def jdbc_jars() -> list[str]:
    """The driver jars present on this machine (for ``spark.jars``)."""
    return [str(p) for p in JARS.values() if p.is_file()]


@dataclass(frozen=True)
class JdbcTarget:
    """A database as Spark's JDBC source sees it.

    Attributes:
        url: the JDBC URL (no credentials in it).
        options: ``driver``, ``user`` and ``password`` (when given) for Spark's reader/writer.
        shown: the SQLAlchemy URL without its password, for messages.
    """

    url: str
    options: dict[str, str]
    shown: str


def jdbc_target(url: str) -> JdbcTarget:
    """The JDBC form of a SQLAlchemy URL (PostgreSQL, MySQL, MariaDB).

    Raises:
        UsageError: a database Spark's JDBC source is not set up for here (SQLite…).
        DatasetError: a malformed URL.
    """
    import sqlalchemy as sa

    shown = redact_url(url)
    try:
        parsed = sa.engine.make_url(url.strip())
        port = parsed.port
    except (sa.exc.ArgumentError, ValueError) as exc:
        raise DatasetError(f"{shown}: malformed database URL") from exc
    backend = parsed.get_backend_name()
    if backend not in _DRIVERS:
        raise UsageError(
            f"{shown}: the Spark engine reads and writes PostgreSQL, MySQL and MariaDB "
            f"over JDBC; {backend} tables are local-engine only"
        )
    scheme, driver, default_port, flags = _DRIVERS[backend]
    jdbc = f"jdbc:{scheme}://{parsed.host or '127.0.0.1'}:{port or default_port}/"
    jdbc += (parsed.database or "") + flags
    options = {"driver": driver}
    if parsed.username:
        options["user"] = str(parsed.username)
    if parsed.password:
        options["password"] = str(parsed.password)
    return JdbcTarget(jdbc, options, shown)


def _failure(target: JdbcTarget, what: str, exc: BaseException) -> DatasetError:
    """One line for a JDBC failure: the class only (driver messages can quote values)."""
    missing = "ClassNotFoundException" in str(exc) or "No suitable driver" in str(exc)
    hint = (
        "; install the JDBC driver jars (apt-get install libpostgresql-jdbc-java "
        "libmariadb-java) or pass them with spark-submit --jars"
        if missing
        else " (--debug shows the Java error)"
    )
    return DatasetError(f"{target.shown}: {what} failed over JDBC ({type(exc).__name__}){hint}")


def read_jdbc(spark: SparkSession, url: str, *, table: str | None, query: str | None) -> DataFrame:
    """A table or read-only query as a DataFrame; exact decimals as text, as the local engine.

    Raises:
        UsageError: neither or both of ``table`` and ``query``.
        DatasetError: the database cannot be read.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import DecimalType

    if (table is None) == (query is None):
        raise UsageError(f"{redact_url(url)}: name exactly one of --table or --query")
    target = jdbc_target(url)
    reader = spark.read.format("jdbc").option("url", target.url).options(**target.options)
    reader = reader.option("dbtable", table) if table else reader.option("query", str(query))
    try:
        frame = reader.load()
    except Exception as exc:
        raise _failure(target, f"reading {table or 'the query'}", exc) from exc
    columns = [
        F.col(f"`{f.name}`").cast("string").alias(f.name)
        if isinstance(f.dataType, DecimalType)
        else F.col(f"`{f.name}`")
        for f in frame.schema.fields
    ]
    return frame.select(*columns)


def write_jdbc(frame: DataFrame, url: str, table: str) -> None:
    """Write ``frame`` to a new table (never overwrites: the staging table is fresh).

    Raises:
        DatasetError: the write failed (the partly written table is the caller's to drop).
    """
    target = jdbc_target(url)
    writer = (
        frame.write.format("jdbc")
        .option("url", target.url)
        .options(**target.options)
        .option("dbtable", table)
        .mode("errorifexists")
    )
    try:
        writer.save()
    except Exception as exc:
        from govkit.spark.protect import MARK

        if MARK in str(exc):  # a partition's own failure: the protect stage words it
            raise
        raise _failure(target, f"writing {table}", exc) from exc
