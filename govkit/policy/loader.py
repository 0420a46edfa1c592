"""Load a policy directory into a checked :class:`PolicySet`.

Access files are the ``*.yaml`` / ``*.yml`` files at the top of the directory, except
``classification.yaml`` (the scanner's) and ``protection.yaml`` (protect's), which this
loader leaves alone. ``tests/`` holds policy test cases (see ``govkit.policy.testing``).
Closed world: a rule naming an unknown role, purpose, entity or tag is an error, as is an
inheritance cycle or a rule id used twice. Every error names the file and the field path.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from govkit._config import unknown_name
from govkit.entities import ENTITIES
from govkit.errors import PolicyError
from govkit.policy._yaml import Loc, fail, parse, read_yaml
from govkit.policy.models import ANY, PolicyFile, PolicySet, RoleSpec, Rule

FOREIGN_FILES = frozenset({"classification.yaml", "protection.yaml"})
"""Files in ``policies/`` owned by other stages; never read as access policy."""


def policy_files(path: Path) -> list[Path]:
    """The access-policy files of a directory, sorted by name."""
    if not path.is_dir():
        raise PolicyError(f"{path}: not a policy directory")
    files = sorted(
        p
        for p in path.iterdir()
        if p.is_file() and p.suffix in (".yaml", ".yml") and p.name not in FOREIGN_FILES
    )
    if not files:
        raise PolicyError(f"{path}: no access policy files (*.yaml) found")
    return files


def load_policies(path: Path) -> PolicySet:
    """Load and check every access file of ``path``.

    Raises:
        PolicyError: a file is unreadable or invalid; the message names file and field path.
    """
    texts: dict[str, str] = {}
    parsed: list[tuple[str, PolicyFile]] = []
    for file in policy_files(path):
        data, text = read_yaml(file)
        texts[str(file)] = text
        parsed.append((str(file), parse(PolicyFile, file, data, text)))
    return _Merger(texts, path).merge(parsed)


class _Merger:
    """Merges parsed files and checks cross-references, remembering where things came from."""

    def __init__(self, texts: dict[str, str], folder: Path) -> None:
        self.texts = texts
        self.folder = folder
        self.origin: dict[tuple[str, str], str] = {}

    def error(self, file: str, loc: Loc, message: str) -> PolicyError:
        return fail(file, self.texts.get(file), loc, message)

    def merge(self, parsed: list[tuple[str, PolicyFile]]) -> PolicySet:
        sections: dict[str, dict[str, object]] = {"roles": {}, "purposes": {}, "tags": {}}
        for file, content in parsed:
            for section, kind in (("roles", "role"), ("purposes", "purpose"), ("tags", "tag")):
                for name, spec in getattr(content, section).items():
                    if name in sections[section]:
                        first = self.origin[(section, name)]
                        raise self.error(
                            file, (section, name), f"{kind} {name!r} already defined in {first}"
                        )
                    sections[section][name] = spec
                    self.origin[(section, name)] = file
        for section in ("roles", "purposes"):
            if not sections[section]:
                raise PolicyError(f"{self.folder}: {section}: none defined in any access file")
        roles: dict[str, RoleSpec] = sections["roles"]  # type: ignore[assignment]
        self.check_roles(roles)
        rules: list[Rule] = []
        sources: dict[str, str] = {
            f"{section[:-1]}:{name}": file
            for (section, name), file in self.origin.items()
            if section in ("purposes", "roles")
        }  # ':' cannot occur in a rule id: denials name the file that declares a purpose/role
        for file, content in parsed:
            for index, rule in enumerate(content.rules):
                if rule.id in sources:
                    raise self.error(
                        file,
                        ("rules", index, "id"),
                        f"duplicate rule id {rule.id!r} (first in {sources[rule.id]})",
                    )
                sources[rule.id] = file
                self.check_rule(file, index, rule, sections)
                rules.append(rule)
        return PolicySet(
            roles=roles,
            purposes=sections["purposes"],  # type: ignore[arg-type]
            tags=sections["tags"],  # type: ignore[arg-type]
            rules=rules,
            sources=sources,
        )

    def check_roles(self, roles: dict[str, RoleSpec]) -> None:
        for name, spec in roles.items():
            file = self.origin[("roles", name)]
            for i, parent in enumerate(spec.inherits):
                if parent not in roles:
                    raise self.error(
                        file, ("roles", name, "inherits", i), _unknown("role", parent, roles)
                    )
        for name in roles:
            cycle = _cycle(name, roles, [])
            if cycle:
                file = self.origin[("roles", name)]
                raise self.error(
                    file, ("roles", name, "inherits"), "inheritance cycle " + " → ".join(cycle)
                )

    def check_rule(
        self, file: str, index: int, rule: Rule, sections: dict[str, dict[str, object]]
    ) -> None:
        checks: list[tuple[tuple[str, ...], list[str], str, Collection[str]]] = [
            (("roles",), rule.roles, "role", sections["roles"]),
            (("purposes",), rule.purposes, "purpose", sections["purposes"]),
            (("except_purposes",), rule.except_purposes, "purpose", sections["purposes"]),
            (("match", "entities"), rule.match.entities, "entity", set(ENTITIES)),
            (("match", "tags"), rule.match.tags, "tag", sections["tags"]),
        ]
        for loc, names, kind, known in checks:
            for i, name in enumerate(names):
                wildcard = name == ANY and kind in ("role", "purpose")
                if name not in known and not wildcard:
                    raise self.error(file, ("rules", index, *loc, i), _unknown(kind, name, known))


def _unknown(kind: str, name: str, known: Collection[str]) -> str:
    """``unknown role 'analyts' (did you mean 'analyst'?)``."""
    return unknown_name(kind, name, known)


def _cycle(name: str, roles: dict[str, RoleSpec], trail: list[str]) -> list[str]:
    """Return the first inheritance cycle reachable from ``name``, closed (a → b → a)."""
    if name in trail:
        return [*trail[trail.index(name) :], name]
    for parent in roles[name].inherits:
        found = _cycle(parent, roles, [*trail, name])
        if found:
            return found
    return []
