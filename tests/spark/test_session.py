"""Session handling: no silent reuse of another master; safe defaults; staged directories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govkit.errors import DatasetError, UsageError
from govkit.pipeline.publish import Publisher
from govkit.spark import engine_option
from govkit.spark.publish import DirStage
from govkit.spark.session import get_session, is_loopback_master, session_conf

pytestmark = pytest.mark.xdist_group("spark")


def test_a_session_of_another_master_is_refused(spark: Any) -> None:
    with pytest.raises(UsageError, match="already running"):
        get_session("local[3]")
    assert get_session("local[2]") is spark and get_session() is spark


@pytest.mark.parametrize(
    ("master", "loopback"),
    [
        ("local[2]", True),
        ("local", True),
        ("spark://127.0.0.1:7077", True),
        ("spark://localhost:7077", True),
        ("spark://10.0.0.5:7077", False),
        ("yarn", False),
    ],
)
def test_only_local_masters_bind_to_loopback(master: str, loopback: bool) -> None:
    conf = session_conf(master)
    assert is_loopback_master(master) is loopback
    assert (conf.get("spark.driver.bindAddress") == "127.0.0.1") is loopback
    assert conf["spark.ui.enabled"] == "false"
    assert not any("key" in k.lower() or "secret" in k.lower() for k in conf)


def _stage(root: Path, name: str, content: str, tag: str = "abc") -> DirStage:
    staging = root / f".{name}.{tag}.govkit-stage"
    staging.mkdir()
    (staging / "part-0").write_text(content)
    return DirStage(None, name, str(root / name), str(staging), 1)  # type: ignore[arg-type]


def test_staged_directories_publish_all_or_nothing(tmp_path: Path) -> None:
    for name in ("a.parquet", "b.parquet"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "part-0").write_text("old")
    with Publisher() as publisher:
        publisher.adopt(_stage(tmp_path, "a.parquet", "new"))
        broken = _stage(tmp_path, "b.parquet", "new")
        broken.staging = str(tmp_path / "gone")  # the second swap fails
        publisher.adopt(broken)
        with pytest.raises(DatasetError):
            publisher.commit()
    assert (tmp_path / "a.parquet" / "part-0").read_text() == "old"  # put back
    assert (tmp_path / "b.parquet" / "part-0").read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if ".old-" in p.name or "a.parquet.abc" in p.name]

    with Publisher() as publisher:
        publisher.adopt(_stage(tmp_path, "a.parquet", "new", "def"))
        publisher.adopt(_stage(tmp_path, "b.parquet", "new", "def"))
        publisher.commit()
    assert (tmp_path / "b.parquet" / "part-0").read_text() == "new"
    assert not [p for p in tmp_path.iterdir() if ".old-" in p.name]  # backups dropped


def test_unknown_engine_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--engine"):
        engine_option("dask", None)
    assert engine_option("local", None) is None
