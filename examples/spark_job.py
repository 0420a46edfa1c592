"""A govkit pipeline as a Spark application, for ``spark-submit`` (docs/spark.md).

    spark-submit --master spark://host:7077 examples/spark_job.py pipeline.yaml

The driver reads the keys (``GOVKIT_MASTER_KEY_FILE`` or ``GOVKIT_MASTER_KEY`` in the
driver's environment, or the pipeline's ``keys:``); executors only ever receive the data
keys inside the protect tasks' closures. The master is the one spark-submit was given.
Exit code: the run's (0 published, 1 compliance failure, 2 usage, 3 operational).
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    """Run the pipeline file ``argv[0]`` on the submitted Spark application."""
    from govkit.errors import exit_code_of
    from govkit.pipeline.run import execute_pipeline
    from govkit.spark import start_engine

    engine = start_engine()  # under spark-submit: the submitted master and settings
    try:
        report, error = execute_pipeline(argv[0], engine=engine)
    finally:
        engine.session.stop()
    print(f"run {report.run_id}: {report.status} on {report.engine.get('spark_master')}")
    if error is not None:
        print(f"Error: {error}", file=sys.stderr)
        return exit_code_of(error)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
