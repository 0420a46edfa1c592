"""A run report with every section filled (no raw values, by construction)."""

from __future__ import annotations

from govkit.audit.checkpoints import Checkpoint
from govkit.detect.report import ColumnScan, DatasetScan, EntityCount
from govkit.quality.models import QualityResult, QualityStatistics, RuleResult
from govkit.report.model import (
    AuditSummary,
    ColumnReport,
    DatasetReport,
    OutputColumn,
    OutputReport,
    RunError,
    RunReport,
)


def sample_report(*, failed: bool = False) -> RunReport:
    """A report of one dataset, two outputs and a checkpoint; ``failed`` adds an error."""
    columns = [
        ColumnReport(name="customer_id", sensitivity="medium", origin="catalog"),
        ColumnReport(name="name", entity="PERSON", sensitivity="medium", detections=417),
        ColumnReport(name="id_number", entity="CN_RESIDENT_ID", sensitivity="high", detections=389),
        ColumnReport(name="bank_card", entity="CREDIT_CARD", sensitivity="high", detections=500),
        ColumnReport(name="region", sensitivity="low"),
        ColumnReport(name="<script>x</script>", sensitivity="low"),
    ]
    rules = [
        RuleResult(rule_id="id-not-null", type="expect_column_values_to_not_be_null",
                   column="customer_id", columns=["customer_id"], success=True),
        RuleResult(rule_id="email-format", type="expect_column_values_to_match_regex",
                   column="email", columns=["email"], success=False, unexpected_count=7,
                   unexpected_percent=1.4),
        RuleResult(rule_id="rows", type="expect_table_row_count_to_be_between", success=True),
    ]  # fmt: skip
    quality = QualityResult(
        suite="customers",
        suite_file="expectations/customers.json",
        dataset="data/customers.csv",
        success=False,
        statistics=QualityStatistics(
            evaluated_expectations=3,
            successful_expectations=2,
            unsuccessful_expectations=1,
            success_percent=66.7,
        ),
        results=rules,
    )
    found = {"name": ("PERSON", 417), "id_number": ("CN_RESIDENT_ID", 389),
             "bank_card": ("CREDIT_CARD", 500)}  # fmt: skip
    scan = DatasetScan(
        source="data/customers.csv",
        name="customers",
        rows_total=500,
        rows_scanned=500,
        sampled=False,
        columns=[
            ColumnScan(
                name=c.name,
                entity=c.entity,
                entities=[EntityCount(type=found[c.name][0], count=found[c.name][1], share=0.9)]
                if c.name in found
                else [],
                sensitivity=c.sensitivity,
            )
            for c in columns
        ],
    )
    dataset = DatasetReport(
        name="customers",
        uri="data/customers.csv",
        fingerprint="sha256:" + "ab" * 32,
        rows=500,
        columns=columns,
        tiers={"high": 2, "medium": 2, "low": 2},
        pii_gate="high",
        scan=scan,
        quality=quality,
    )
    outputs = [
        OutputReport(
            name="customers_analytics",
            source="customers",
            role="analyst",
            purpose="analytics",
            destination="out/analytics/customers.parquet",
            rows_in=500,
            rows_out=500,
            rows_filtered=0,
            columns=[
                OutputColumn(column="customer_id", view="tokenized", transform="tokenize"),
                OutputColumn(column="name", view="tokenized", transform="tokenize"),
                OutputColumn(column="id_number", view="tokenized", transform="tokenize"),
                OutputColumn(column="bank_card", view="deny", transform="drop"),
                OutputColumn(column="region", view="raw", transform="keep"),
            ],
            published=not failed,
        ),
        OutputReport(
            name="customers_marketing",
            source="customers",
            role="marketing",
            purpose="marketing",
            destination="out/marketing/customers.csv",
            rows_in=500,
            rows_out=312,
            rows_filtered=188,
            row_filter="consent_marketing == true",
            columns=[
                OutputColumn(
                    column="name", view="raw", transform="keep", rule_ids=["marketing-contact-raw"]
                ),
                OutputColumn(column="id_number", view="deny", transform="drop"),
            ],
            published=not failed,
        ),
    ]
    return RunReport(
        run_id="20261125T110000Z-abc123",
        pipeline="pipeline.yaml",
        name="demo",
        status="failed" if failed else "published",
        started_at="2026-11-25T11:00:00Z",
        finished_at="2026-11-25T11:00:05Z",
        actor="steward",
        govkit_version="0.1.0",
        datasets=[dataset],
        outputs=outputs,
        audit=AuditSummary(
            store="sqlite:///.govkit/audit.db",
            events=9,
            checkpoint=Checkpoint(
                chain_id="govkit-audit", size=1234, head_hash="9f" * 32, key_id="ak_1"
            ),
        ),
        error=(
            RunError(
                type="AccessDeniedError",
                message="output x: role 'marketing' may not receive 'tickets'",
                exit_code=1,
                stage="access",
            )
            if failed
            else None
        ),
    )
