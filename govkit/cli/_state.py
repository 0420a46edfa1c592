"""Global CLI options, shared by every command of one invocation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.settings import GovkitSettings

if TYPE_CHECKING:
    from govkit.governor import Governor


@dataclass
class CliState:
    """Flags given before the command name (``govkit --actor X scan …``)."""

    debug: bool = False
    quiet: bool = False
    wide: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)

    def settings(self, **more: Any) -> GovkitSettings:
        """Settings from flags, then ``GOVKIT_*`` variables, then ``govkit.yaml``, then defaults."""
        given = {k: v for k, v in {**self.overrides, **more}.items() if v is not None}
        return GovkitSettings(**given)

    def governor(self, **more: Any) -> Governor:
        """A Governor over these settings."""
        from govkit.governor import Governor

        return Governor(self.settings(**more))


STATE = CliState()


def reset(debug: bool, quiet: bool, wide: bool = False, **overrides: str | Path | None) -> None:
    """Start an invocation with fresh global options."""
    STATE.debug, STATE.quiet, STATE.wide = debug, quiet, wide
    STATE.overrides = dict(overrides)
