"""A writer process for the concurrency tests: ``python -m tests.audit._writer URL NAME COUNT``.

Appends COUNT events as actor NAME, one transaction each, resuming after the
events NAME already has (so a killed writer can be restarted to finish).
"""

from __future__ import annotations

import sys

from pydantic import SecretStr

from govkit.audit.query import AuditQuery
from govkit.audit.store import AuditStore
from govkit.models import AuditEvent
from govkit.settings import GovkitSettings
from tests.audit.conftest import MASTER


def main(url: str, name: str, count: int) -> None:
    store = AuditStore.open(GovkitSettings(audit_url=url, master_key=SecretStr(MASTER)))
    done = len(store.query(AuditQuery(actor=name)))
    for i in range(done, count):
        event = AuditEvent(action="scan", details={"writer": name, "i": i}).model_dump()
        store.append([{**event, "actor": name}])
        print(i, flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
