"""The steward page: self-contained, escaped, and showing the report's numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govkit.report import render_html, write_reports
from govkit.report.model import RunReport
from tests.report._sample import sample_report


def test_page_is_self_contained() -> None:
    page = render_html(sample_report())
    assert "<script" not in page.lower()  # the escaped column name must not become a tag
    assert "&lt;script&gt;" in page
    assert not re.search(r"\b(src|href)\s*=", page, re.I)
    assert not re.search(r"@import|url\(", page)
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}  # an XML namespace, not a fetch


@pytest.mark.parametrize(
    ("needle", "present"),
    [
        ('id="sum-high"><b>2</b>', True),
        ('id="sum-detections"><b>1306</b>', True),
        ('id="sum-published"><b>812</b>', True),
        ('id="sum-filtered"><b>188</b>', True),
        ('id="sum-quality"><b>2/3</b>', True),
        ("consent_marketing == true", True),
        ("9f" * 32, True),
        ("Nothing was published", False),
    ],
)
def test_key_numbers_on_page(needle: str, present: bool) -> None:
    assert (needle in render_html(sample_report())) is present


def test_failed_run_says_why() -> None:
    page = render_html(sample_report(failed=True))
    assert "Nothing was published" in page
    assert "(exit 1)" in page
    assert "status-failed" in page


def test_write_reports(tmp_path: Path) -> None:
    report = write_reports(sample_report(), tmp_path / "reports")
    assert report.report_json and report.report_html
    data = json.loads(Path(report.report_json).read_text(encoding="utf-8"))
    assert RunReport.model_validate(data).outputs[1].rows_filtered == 188
    assert (tmp_path / "reports" / "latest.html").read_text(encoding="utf-8") == Path(
        report.report_html
    ).read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(
        ["latest.json", "latest.html", f"{report.run_id}.json", f"{report.run_id}.html"]
    )


def test_report_of_a_run_stopped_at_once() -> None:
    report = sample_report(failed=True).model_copy(
        update={"datasets": [], "outputs": [], "audit": None}
    )
    page = render_html(report)
    assert "Nothing was published" in page
    assert "Nothing was logged." in page
    assert 'id="sum-outputs"><b>0</b>' in page


def _keys(schema: dict[str, object], name: str) -> list[str]:
    defs = schema.get("$defs", {})
    assert isinstance(defs, dict)
    model = schema if name == "RunReport" else defs[name]
    assert isinstance(model, dict)
    properties = model["properties"]
    assert isinstance(properties, dict)
    return sorted(str(k) for k in properties)


@pytest.mark.parametrize(
    ("model", "keys"),
    [
        (
            "RunReport",
            "actor audit datasets engine error finished_at govkit_version name outputs pipeline "
            "report_html report_json run_id started_at status timings",
        ),
        (
            "DatasetReport",
            "columns fingerprint gate_columns name pii_gate quality rows scan table tiers uri",
        ),
        (
            "OutputReport",
            "allowed columns destination name policy_hash published purpose reason role "
            "row_filter rows_filtered rows_in rows_out source table",
        ),
        ("OutputColumn", "column rule_ids transform view"),
        ("ColumnReport", "detections entities entity kind name origin sensitivity"),
        ("QualityResult", "dataset results statistics success suite suite_file"),
        ("DatasetScan", "columns name rows_scanned rows_total sampled source"),
        ("AuditSummary", "checkpoint events store"),
        ("Checkpoint", "chain_id head_hash key_id signature signed_at size"),
        ("RunError", "exit_code message stage type"),
    ],
)
def test_json_schema_is_pinned(model: str, keys: str) -> None:
    """The run report's JSON shape as documented in docs/pipeline.md."""
    assert _keys(RunReport.model_json_schema(), model) == keys.split()
