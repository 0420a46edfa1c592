"""The navigation: sections of pages, each with the roles that may open it.

Later capabilities (re-identification risk, access anomalies, subject requests)
add an entry here and a route; the layout does not change.
"""

from __future__ import annotations

from dataclasses import dataclass

STEWARD_AUDITOR = frozenset({"steward", "auditor"})
AUDITOR = frozenset({"auditor"})


@dataclass(frozen=True)
class NavItem:
    """One link of the side navigation."""

    section: str
    label: str
    path: str
    roles: frozenset[str]


NAV: tuple[NavItem, ...] = (
    NavItem("Overview", "Dashboard", "/", STEWARD_AUDITOR),
    NavItem("Data", "Catalog", "/catalog", STEWARD_AUDITOR),
    NavItem("Data", "Access explorer", "/access", STEWARD_AUDITOR),
    NavItem("Runs", "Run reports", "/runs", STEWARD_AUDITOR),
    NavItem("Audit", "Audit log", "/audit", AUDITOR),
    NavItem("Audit", "Actors", "/audit/actors", AUDITOR),
)


def nav_for(roles: list[str], current: str) -> list[tuple[str, list[tuple[NavItem, bool]]]]:
    """The sections and links a user with ``roles`` sees, the current page marked."""
    sections: dict[str, list[tuple[NavItem, bool]]] = {}
    for item in NAV:
        if item.roles & set(roles):
            here = current == item.path or (
                item.path != "/" and current.startswith(item.path + "/")
            )
            if item.path == "/audit" and current.startswith("/audit/actors"):
                here = False
            sections.setdefault(item.section, []).append((item, here))
    return list(sections.items())
