"""JSON Schemas of the policy files, for editors (``govkit policy schema``)."""

from __future__ import annotations

from typing import Any, Literal

from govkit.policy.models import PolicyFile
from govkit.policy.testing import PolicyTestFile

SchemaKind = Literal["policy", "test"]


def policy_schema(kind: SchemaKind = "policy") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an access-policy file or a policy test file."""
    model = PolicyFile if kind == "policy" else PolicyTestFile
    schema = model.model_json_schema()
    title = "govkit access policy file" if kind == "policy" else "govkit policy test file"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": title}
