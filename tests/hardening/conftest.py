"""Hardening suites reuse the protect fixtures: master key, keyring, isolated audit store."""

from __future__ import annotations

from tests.protect.conftest import catalog_file, env, governor, master_key, ring

__all__ = ["catalog_file", "env", "governor", "master_key", "ring"]
