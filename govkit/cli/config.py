"""CLI: ``govkit config`` — every setting, its value and where it came from (never a secret)."""

from __future__ import annotations

from typing import Any

import typer

from govkit.cli._output import FormatOption, OutputFormat, print_json, print_table
from govkit.cli._state import STATE


def config_rows() -> list[dict[str, Any]]:
    """One row per setting: name, shown value, source (flag, environment, project file, default)."""
    from govkit.datasets.uri import redact_url
    from govkit.settings import SECRET_FIELDS, setting_sources

    settings = STATE.settings()
    sources = setting_sources(STATE.overrides)
    rows: list[dict[str, Any]] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if name in SECRET_FIELDS:
            shown = None if value is None else "(set, not shown)"
        elif name == "audit_url":
            shown = redact_url(str(value))
        else:
            shown = None if value is None else str(value)
        rows.append({"setting": name, "value": shown, "source": sources[name]})
    return rows


def config(format: FormatOption = OutputFormat.table) -> None:
    """Show each setting, its value and where it came from (flag > environment > govkit.yaml > default).

    Example: govkit config
    """
    from govkit.settings import find_project_file

    project = find_project_file()
    rows = config_rows()
    if format is OutputFormat.json:
        print_json({"project_file": str(project) if project else None, "settings": rows})
        return
    print(f"project file: {project or 'none found (govkit.yaml, here or above)'}")
    print_table("settings", ["setting", "value", "source"], [list(r.values()) for r in rows])


def register(app: typer.Typer) -> None:
    """Add this module's command to the app."""
    app.command()(config)
