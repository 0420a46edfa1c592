"""A real standalone Spark cluster on 127.0.0.1, from the pyspark wheel's ``spark-class``.

Used by the test suite and the benchmark: one master and N workers, each its own
JVM (and its executors their own Python workers), so closures, keys and Arrow
batches cross process boundaries as on a real cluster. Everything it starts runs
in its own process group and is stopped by :meth:`LocalCluster.stop`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from govkit.errors import DatasetError

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"


def spark_home() -> Path:
    """The Spark distribution inside the installed pyspark package."""
    import pyspark

    return Path(pyspark.__file__).parent


def free_port() -> int:
    """A TCP port nobody listens on right now (127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalCluster:
    """One master and ``workers`` workers on 127.0.0.1, in ``root`` (logs, work dirs).

    ``conf``: Spark settings every daemon reads (its ``spark-defaults.conf``), e.g.
    ``spark.authenticate`` and its secret, which the master and workers need too.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    root: Path
    workers: int = 2
    cores: int = 1
    memory: str = "768m"
    timeout: float = 90.0
    conf: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    ui_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The master URL, ``spark://127.0.0.1:<port>``."""
        return f"spark://127.0.0.1:{self.port}"

    @property
    def conf_dir(self) -> Path:
        """``SPARK_CONF_DIR`` of the daemons: ``spark-defaults.conf`` holds :attr:`conf`.

        Give a driver the same directory (``SPARK_CONF_DIR``) to join a cluster whose
        ``conf`` turns on ``spark.authenticate``: the file is owner-only (0600).
        """
        return self.root / "conf"

    @property
    def work_dir(self) -> Path:
        """Where workers keep executor logs and files (``SPARK_WORKER_DIR``)."""
        return self.root / "work"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            SPARK_HOME=str(spark_home()),
            SPARK_LOCAL_IP="127.0.0.1",
            SPARK_WORKER_DIR=str(self.work_dir),
            SPARK_LOG_DIR=str(self.root / "logs"),
            SPARK_DAEMON_MEMORY="256m",
            SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false",
            SPARK_CONF_DIR=str(self.conf_dir),
        )
        return env

    def _write_conf(self) -> None:
        self.conf_dir.mkdir(mode=0o700, exist_ok=True)
        file = self.conf_dir / "spark-defaults.conf"
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(f"{key} {value}\n" for key, value in self.conf.items())

    def _spawn(self, name: str, *args: str) -> None:
        log = (self.root / f"{name}.log").open("wb")
        command = [str(spark_home() / "bin" / "spark-class"), *args]
        process = subprocess.Popen(  # noqa: S603 - fixed program, our own arguments
            command,
            env=self._env(),
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes.append(process)

    def state(self) -> dict[str, object]:
        """The master's ``/json/`` document ({} while it does not answer)."""
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.ui_port}/json/", timeout=2
            ) as reply:
                data: dict[str, object] = json.load(reply)
                return data
        except (OSError, ValueError):
            return {}

    def _wait(self, what: str, ready: Callable[[dict[str, object]], bool]) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            state = self.state()
            if ready(state):
                return
            if any(p.poll() is not None for p in self.processes):
                break
            time.sleep(0.3)
        self.stop()
        raise DatasetError(f"standalone Spark cluster in {self.root}: {what} (see its *.log files)")

    def start(self) -> LocalCluster:
        """Start the master, wait until it is ALIVE, then the workers, and wait for them."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.work_dir.mkdir(exist_ok=True)
        self._write_conf()
        self._spawn(
            "master", MASTER_CLASS, "--host", "127.0.0.1",
            "--port", str(self.port), "--webui-port", str(self.ui_port),
        )  # fmt: skip
        self._wait("the master did not come up", lambda s: s.get("status") == "ALIVE")
        for n in range(self.workers):
            self._spawn(
                f"worker{n}", WORKER_CLASS, "--host", "127.0.0.1",
                "--cores", str(self.cores), "--memory", self.memory,
                "--work-dir", str(self.work_dir), "--webui-port", str(free_port()), self.url,
            )  # fmt: skip
        self._wait(
            f"{self.workers} worker(s) did not register",
            lambda s: s.get("aliveworkers") == self.workers,
        )
        return self

    def stop(self) -> None:
        """Stop every process this cluster started (workers first), and wait for them."""
        for process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes = []

    def __enter__(self) -> LocalCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
