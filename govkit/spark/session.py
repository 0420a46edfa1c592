"""Getting a Spark session that is safe for govkit to run on.

Pitfalls measured on this project's machines (issue #16):

* executors start the driver's ``PYSPARK_PYTHON`` (default: whatever ``python3`` is
  on ``PATH``) — govkit sets it to this interpreter unless the user chose one;
* on a host whose name resolves to another interface Spark binds there — for a
  local master (and a standalone master on 127.0.0.1) the driver binds to 127.0.0.1;
* ``getOrCreate()`` silently returns a running session of *another* master —
  govkit refuses instead;
* the UI (port 4040+) shows query plans; govkit keeps it off unless asked, and
  never puts a key into a plan, a conf value or the environment;
* the console progress bar and INFO logs go to stderr; govkit quiets them.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.errors import DatasetError, UsageError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"
LOOPBACK = "127.0.0.1"


def is_loopback_master(master: str) -> bool:
    """A master on this machine: ``local…`` or ``spark://127.0.0.1|localhost:…``."""
    return master.startswith("local") or master.startswith(
        (f"spark://{LOOPBACK}:", "spark://localhost:")
    )


def log_config(debug: bool) -> Path:
    """The driver's log4j2 file: everything off, or errors under ``--debug``."""
    name = "log4j2-error.properties" if debug else "log4j2-off.properties"
    return Path(__file__).resolve().parent.parent / "defaults" / "spark" / name


def session_conf(master: str, *, ui: bool = False, debug: bool = False) -> dict[str, str]:
    """The Spark settings govkit starts a session with (no secrets, ever)."""
    conf = {
        "spark.driver.extraJavaOptions": f"-Dlog4j.configurationFile=file:{log_config(debug)}",
        "spark.ui.enabled": "true" if ui else "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
    }
    from govkit.spark.jdbc import jdbc_jars

    jars = jdbc_jars()  # Debian's PostgreSQL and MariaDB drivers, when installed
    if jars:
        conf["spark.jars"] = ",".join(jars)
    if is_loopback_master(master):
        conf["spark.driver.host"] = LOOPBACK
        conf["spark.driver.bindAddress"] = LOOPBACK
        # executors on this machine import the same govkit as the driver (worktrees, -e installs)
        path = os.environ.get("PYTHONPATH")
        if path:
            conf["spark.executorEnv.PYTHONPATH"] = path
    return conf


def _prepare_environment(master: str) -> None:
    if is_loopback_master(master):
        os.environ.setdefault("SPARK_LOCAL_IP", LOOPBACK)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)


def get_session(
    master: str | None = None,
    *,
    app_name: str = "govkit",
    conf: dict[str, Any] | None = None,
    ui: bool = False,
    debug: bool = False,
) -> SparkSession:
    """The active session (when its master fits) or a new one on ``master``.

    Args:
        master: ``local[2]``, ``spark://host:7077``…; None takes the active session,
            else the master ``spark-submit`` was given, else ``$GOVKIT_SPARK_MASTER``,
            else ``local[2]``.
        app_name: the application name shown by the cluster manager.
        conf: extra Spark settings (they win over govkit's).
        ui: keep Spark's web UI on.
        debug: let Spark's driver log errors (with their Java stacks) to stderr; off
            otherwise, since Spark's messages can quote data values.

    Raises:
        UsageError: a session of another master is already running in this process.
        DatasetError: Spark could not start (no Java, master unreachable…).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise UsageError(
            "the Spark engine needs pyspark: pip install 'govkit[spark]' (Java 17 or later)"
        ) from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        running = active.sparkContext.master
        if master is not None and running != master:
            raise UsageError(
                f"a Spark session on master {running!r} is already running in this process; "
                f"stop it first or pass --master {running}"
            )
        return active
    # pyspark 4.3 warns about pandas 3 on every import of its pandas helpers; govkit uses Arrow
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    submitted = master is None and "PYSPARK_GATEWAY_PORT" in os.environ  # under spark-submit
    chosen = master or os.environ.get("GOVKIT_SPARK_MASTER") or DEFAULT_MASTER
    _prepare_environment(chosen)
    builder = SparkSession.builder.appName(app_name)
    if not submitted:  # spark-submit's --master stands; otherwise govkit's choice
        builder = builder.master(chosen)
    for key, value in {**session_conf(chosen, ui=ui, debug=debug), **(conf or {})}.items():
        builder = builder.config(key, str(value))
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # py4j / JVM start failures: name the master, not the stack
        raise DatasetError(
            f"cannot start Spark on master {chosen!r} ({type(exc).__name__}); "
            "check Java 17+ and the master URL (--debug shows the Java error)"
        ) from exc
    session.sparkContext.setLogLevel("ERROR" if debug else "OFF")
    # pyspark's own Python logger repeats failed queries' Java messages (which can quote values)
    logging.getLogger("SQLQueryContextLogger").setLevel(
        logging.ERROR if debug else logging.CRITICAL + 1
    )
    return session


def describe(session: SparkSession) -> dict[str, str]:
    """Engine facts for audit events and run reports (no settings values beyond these)."""
    context = session.sparkContext
    return {
        "engine": "spark",
        "spark_version": str(session.version),
        "spark_master": str(context.master),
        "spark_app_id": str(context.applicationId),
    }
