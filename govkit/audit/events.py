"""Checking stamped events before they are chained.

An event is an ``AuditEvent`` (govkit/models.py) plus the stamp the Governor
adds (``actor``, ``host``, ``govkit_version``) and ``ts`` (UTC, stamped here
when absent). Unknown keys are rejected, so nothing unplanned — a raw value in
a new field, say — slips into the log.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import socket
from typing import Any

from pydantic import ValidationError

from govkit.audit.identity import canonical_dataset
from govkit.datasets.uri import redact_url, scrub_urls
from govkit.errors import AuditError
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings

STAMP_FIELDS = ("actor", "host", "govkit_version", "ts")
EVENT_FIELDS = tuple(AuditEvent.model_fields)
TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_now() -> str:
    """Return the current UTC time as fixed-width RFC 3339 (``2026-01-02T03:04:05.123456Z``)."""
    return dt.datetime.now(dt.UTC).strftime(TS_FORMAT)


def format_ts(when: dt.datetime) -> str:
    """Return ``when`` (naive = UTC) in the stored timestamp form."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.strftime(TS_FORMAT)


def _check_ts(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return format_ts(value)
    if not isinstance(value, str):
        raise AuditError("audit event: field 'ts' must be an RFC 3339 UTC string")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise AuditError("audit event: field 'ts' is not an RFC 3339 timestamp") from exc
    if parsed.tzinfo is None:
        raise AuditError("audit event: field 'ts' must carry a UTC offset")
    return format_ts(parsed)


def prepare_event(raw: dict[str, Any]) -> dict[str, Any]:
    """Return the event as it will be stored: validated, ``ts`` stamped, URLs redacted.

    Raises:
        AuditError: unknown keys, wrong types, or a missing stamp field.
    """
    if not isinstance(raw, dict):
        raise AuditError(f"audit event: expected a dict, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(EVENT_FIELDS) - set(STAMP_FIELDS))
    if unknown:
        raise AuditError(f"audit event: unknown field(s) {', '.join(unknown)}")
    try:
        model = AuditEvent.model_validate({k: raw[k] for k in EVENT_FIELDS if k in raw})
    except ValidationError as exc:
        where = ", ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors())
        raise AuditError(f"audit event: invalid field(s) {where}") from exc
    event = model.model_dump()
    if event["dataset"] is not None:  # one identity per dataset (docs/audit.md)
        event["dataset"] = canonical_dataset(event["dataset"])
    event["details"] = {  # an output or source URL in the details loses its password too
        k: scrub_urls(v) if isinstance(v, str) and "://" in v else v
        for k, v in event["details"].items()
    }
    for name in ("actor", "host", "govkit_version"):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            raise AuditError(f"audit event: field {name!r} must be a string")
        event[name] = value
    event["ts"] = _check_ts(raw["ts"]) if raw.get("ts") is not None else utc_now()
    return event


def dataset_identity(dataset: Any) -> str:
    """A dataset's canonical name in audit events.

    Its absolute path, or its URL without credentials plus ``#table`` (``#query``);
    a DataFrame's name otherwise.
    """
    path = getattr(dataset, "path", None)
    if path is not None:
        return str(path.resolve())
    return redact_url(str(dataset.uri))


def current_actor(settings: GovkitSettings) -> str:
    """Return the actor: ``--actor`` / ``GOVKIT_ACTOR``, else the OS user."""
    if settings.actor:
        return settings.actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def stamp(event: AuditEvent, settings: GovkitSettings) -> dict[str, Any]:
    """Return the event with who/where added (actor, host, govkit version), ready for the store."""
    from govkit._version import __version__

    return {
        **event.model_dump(),
        "actor": current_actor(settings),
        "host": socket.gethostname(),
        "govkit_version": __version__,
    }
