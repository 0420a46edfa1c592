"""sample(n): uniform, without replacement, deterministic per seed, bounded by the data."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scipy import stats  # type: ignore[import-untyped]

from govkit.datasets import open_dataset


@pytest.fixture(scope="module")
def numbers(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sample") / "n.parquet"
    pq.write_table(pa.table({"n": list(range(20_000))}), path, row_group_size=3_000)
    return str(path)


@pytest.mark.parametrize("n", [0, 1, 100, 19_999, 20_000, 50_000])
def test_sample_size_and_no_duplicates(numbers: str, n: int) -> None:
    sample = open_dataset(numbers, batch_rows=1_000).sample(n, seed=3).column("n").to_pylist()
    assert len(sample) == min(n, 20_000)
    assert len(set(sample)) == len(sample)


def test_sample_is_deterministic_per_seed(numbers: str) -> None:
    dataset = open_dataset(numbers, batch_rows=1_000)
    assert dataset.sample(50, seed=1).equals(dataset.sample(50, seed=1))
    assert not dataset.sample(50, seed=1).equals(dataset.sample(50, seed=2))


def test_sample_is_uniform_across_the_file(numbers: str) -> None:
    """Early and late rows are equally likely: the sample's positions fit a uniform law."""
    dataset = open_dataset(numbers, batch_rows=1_000)
    positions = dataset.sample(2_000, seed=7).column("n").to_pylist()
    result = stats.kstest([p / 20_000 for p in positions], "uniform")
    assert result.pvalue > 0.001
    assert sum(p >= 15_000 for p in positions) > 300  # the last quarter is not starved


def test_a_head_only_sample_would_fail_the_uniformity_check() -> None:
    """Guard: the test above can fail — a head sample is rejected by the same check."""
    positions = list(range(2_000))
    assert stats.kstest([p / 20_000 for p in positions], "uniform").pvalue < 0.001


def test_sample_of_csv_keeps_strings(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id\n" + "".join(f"{i:05d}\n" for i in range(500)), encoding="utf-8")
    sample = open_dataset(str(path)).sample(10, seed=0)
    assert sample.schema.types == [pa.string()]
    assert all(len(v) == 5 for v in sample.column("id").to_pylist())
