"""``govkit serve``: a read-only web console for stewards and auditors.

Server-rendered pages (FastAPI + Jinja2, plain forms, no script at all), local
accounts with Argon2id hashes and OpenID Connect sign-in, role checks on every
route (deny by default), and an audit event for every sign-in and every page
that shows personal-data metadata. Needs the ``console`` extra; nothing here is
imported by the rest of govkit.
"""

ROLES = ("steward", "auditor")
"""The console roles: stewards review catalogs, auditors review the audit log."""
