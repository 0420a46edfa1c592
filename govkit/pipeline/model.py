"""The pipeline file: sources, scan settings, suites, policies, outputs, audit store.

A pipeline file is YAML validated by the models below (``extra="forbid"``) before
any data is touched; an error names the file and the field path, e.g.
``pipeline.yaml: outputs.0.role: Field required``. Relative paths in the file
are resolved against the file's directory.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from govkit.datasets.cells import OutputEncoding
from govkit.datasets.uri import is_spark_uri, is_sql_url
from govkit.entities import Sensitivity
from govkit.errors import PipelineError

NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
Gate = Literal["high", "medium", "low", "none"]
"""A PII gate: a sensitivity tier, or ``none`` for no gate."""


def _database(uri: str) -> bool:
    """A SQLAlchemy URL (``hdfs://`` and ``spark-table:`` names are the Spark engine's)."""
    return is_sql_url(uri) and not is_spark_uri(uri)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceSpec(_Strict):
    """One input dataset.

    Attributes:
        uri: a file path (relative to the pipeline file) or a SQLAlchemy URL.
        table: table name, for database URLs.
        query: read-only SQL, for database URLs (instead of ``table``).
        encoding: text encoding of a CSV/TSV file (default: detected).
        suite: expectation suite judged on the raw data (name in the expectations dir,
            or a ``.json`` path relative to the pipeline file).
        warn: rule ids of the suite whose failure is reported but does not stop the
            run (known, accepted problems; every other failed rule fails the run).
        fail_on: overrides ``scan.fail_on`` for this source.
    """

    uri: str
    table: str | None = None
    query: str | None = None
    encoding: str | None = None
    suite: str | None = None
    warn: list[str] = Field(default_factory=list)
    fail_on: Gate | None = None

    @model_validator(mode="after")
    def _fits(self) -> SourceSpec:
        if _database(self.uri):
            if not self.table and not self.query:
                raise ValueError("a database source needs 'table' or 'query'")
            if self.table and self.query:
                raise ValueError("give 'table' or 'query', not both")
        elif self.table or self.query:
            raise ValueError("'table' and 'query' apply to database URLs only")
        if self.warn and not self.suite:
            raise ValueError("'warn' needs a 'suite'")
        return self


class ScanSpec(_Strict):
    """How columns are classified.

    Attributes:
        catalog: a reviewed catalog file; its entries win over the scan.
        sample_size: rows sampled per dataset (default: the scanner's).
        full: scan every row instead of a sample.
        fail_on: fail the run (exit 1) when the scan finds a column at or above this
            tier that the catalog does not already classify at that tier
            (``none`` turns the gate off).
    """

    catalog: str | None = None
    sample_size: int | None = Field(default=None, gt=0)
    full: bool = False
    fail_on: Gate = "high"


class OutputSpec(_Strict):
    """One published view: a source as one role may see it for one purpose.

    Attributes:
        name: unique output name (used in reports and audit events).
        source: the source name it is made from.
        role: the consumer's role, as defined in the policies.
        purpose: the processing purpose, as defined in the policies.
        uri: destination file (relative to the pipeline file) or SQLAlchemy URL.
        table: destination table, for database URLs.
    """

    name: str
    source: str
    role: str
    purpose: str
    uri: str
    table: str | None = None
    encoding: OutputEncoding | None = None
    """CSV/TSV outputs: ``utf-8`` (default), ``utf-8-sig`` (Excel) or ``gb18030``."""
    keep_formulas: bool = False
    """CSV/TSV outputs: write cells starting with = + - @ verbatim (machine consumers)."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("use letters, digits, '_', '-' and '.' only")
        return value

    @model_validator(mode="after")
    def _fits(self) -> OutputSpec:
        if _database(self.uri) and not self.table:
            raise ValueError("a database output needs 'table'")
        if not _database(self.uri) and self.table:
            raise ValueError("'table' applies to database URLs only")
        if self.encoding not in (None, "utf-8") and not self.uri.lower().endswith(
            (".csv", ".tsv", ".tab")
        ):
            raise ValueError("'encoding' applies to .csv/.tsv outputs only")
        return self


class AuditSpec(_Strict):
    """Where the audit log lives (default: ``GOVKIT_AUDIT_URL``)."""

    url: str | None = None


class KeysSpec(_Strict):
    """Key material (default: ``GOVKIT_KEYRING`` and ``GOVKIT_MASTER_KEY[_FILE]``)."""

    keyring: str | None = None
    master_key_file: str | None = None


class ReportSpec(_Strict):
    """Where run reports go: ``<dir>/<run id>.json`` and ``.html``, plus ``latest.*``."""

    dir: str = "reports"
    html: bool = True


class Pipeline(_Strict):
    """A whole pipeline file."""

    version: Literal[1] = 1
    name: str = "pipeline"
    sources: dict[str, SourceSpec] = Field(min_length=1)
    scan: ScanSpec = Field(default_factory=ScanSpec)
    policies: str | None = None
    expectations: str | None = None
    outputs: list[OutputSpec] = Field(min_length=1)
    audit: AuditSpec = Field(default_factory=AuditSpec)
    keys: KeysSpec = Field(default_factory=KeysSpec)
    reports: ReportSpec = Field(default_factory=ReportSpec)
    workers: Annotated[int, Field(ge=1, le=64)] | Literal["auto"] = "auto"
    """Processes protecting each output's batches; ``auto``: sized to the machine for large
    sources with crypto transforms (the local engine's rule), else this process."""
    output_roots: list[str] = Field(default_factory=list)
    """Folders file outputs may go to besides the pipeline file's own (relative to it)."""
    base_dir: Path = Field(default=Path("."), exclude=True)
    """Directory relative paths are resolved against (set by :func:`load_pipeline`)."""
    source_file: Path | None = Field(default=None, exclude=True)
    """The file the pipeline was read from (set by :func:`load_pipeline`)."""

    @model_validator(mode="after")
    def _links(self) -> Pipeline:
        for key in self.sources:
            if not NAME.match(key):
                raise ValueError(f"sources.{key}: use letters, digits, '_', '-' and '.' only")
        seen: set[str] = set()
        targets: set[tuple[str, str | None]] = set()
        for i, out in enumerate(self.outputs):
            if out.source not in self.sources:
                known = ", ".join(sorted(self.sources))
                raise ValueError(
                    f"outputs.{i}.source: unknown source {out.source!r} (known: {known})"
                )
            if out.name in seen:
                raise ValueError(f"outputs.{i}.name: duplicate output name {out.name!r}")
            seen.add(out.name)
            target = (out.uri, out.table)
            if target in targets:
                raise ValueError(f"outputs.{i}.uri: another output writes the same destination")
            targets.add(target)
        return self

    def path(self, value: str) -> str:
        """Resolve a file path of the pipeline file (URLs and Spark names pass through)."""
        if is_sql_url(value) or Path(value).is_absolute() or is_spark_uri(value):
            return value
        return str(self.base_dir / value)

    def sqlite_resolved(self, url: str) -> str:
        """Resolve a relative ``sqlite:///file`` URL against the pipeline directory."""
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/"):
            rest = url[len(prefix) :]
            if rest and rest != ":memory:":
                return prefix + str((self.base_dir / rest).resolve())
        return url

    def _place(self, uri: str, table: str | None) -> tuple[str, str | None]:
        if is_sql_url(uri) or is_spark_uri(uri):
            return uri, table
        return str(Path(self.path(uri)).resolve()), None

    def check_destinations(self) -> None:
        """Refuse outputs that would overwrite a source or each other (paths resolved).

        Raises:
            ValueError: names the output field.
        """
        sources = {self._place(s.uri, s.table): n for n, s in self.sources.items() if not s.query}
        seen: set[tuple[str, str | None]] = set()
        for i, out in enumerate(self.outputs):
            place = self._place(out.uri, out.table)
            if place in sources:
                raise ValueError(f"outputs.{i}.uri: would overwrite source {sources[place]!r}")
            if place in seen:
                raise ValueError(f"outputs.{i}.uri: another output writes the same destination")
            seen.add(place)

    def fail_on(self, source: str) -> Sensitivity | None:
        """The effective PII gate of a source (None: off)."""
        value = self.sources[source].fail_on or self.scan.fail_on
        return None if value == "none" else value


def _location(error: Any) -> str:
    return ".".join(str(p) for p in error["loc"])


def parse_pipeline(
    data: object, *, where: str = "pipeline", base_dir: Path | None = None
) -> Pipeline:
    """Validate pipeline data (already parsed YAML/JSON).

    Raises:
        PipelineError: the data is not a valid pipeline; the message names the field path.
    """
    if not isinstance(data, dict):
        raise PipelineError(f"{where}: a pipeline file must be a mapping of fields")
    for internal in ("base_dir", "source_file"):
        if internal in data:
            raise PipelineError(f"{where}: {internal}: Extra inputs are not permitted")
    try:
        model = Pipeline.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        at = f"{_location(first)}: " if first["loc"] else ""
        raise PipelineError(f"{where}: {at}{message}{more}") from None
    if base_dir is not None:
        model.base_dir = base_dir
    try:
        model.check_destinations()
    except ValueError as exc:
        raise PipelineError(f"{where}: {exc}") from None
    return model


def load_pipeline(path: str | Path) -> Pipeline:
    """Read and validate a pipeline file.

    Raises:
        PipelineError: missing, unreadable, not YAML, or not a valid pipeline.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PipelineError(f"{file}: pipeline file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"{file}: cannot read pipeline file ({type(exc).__name__})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise PipelineError(f"{file}: not valid YAML{at}") from exc
    model = parse_pipeline(data, where=str(file), base_dir=file.resolve().parent)
    model.source_file = file
    return model
