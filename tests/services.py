"""Access to real services for tests: skip where absent, fail instead under CI's flag."""

from __future__ import annotations

import os

import pytest

REQUIRE_FLAG = "LOTSE_REQUIRE_SERVICES"
POSTGRES_ADMIN_URL = os.environ.get(
    "LOTSE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def services_required() -> bool:
    return os.environ.get(REQUIRE_FLAG, "") not in ("", "0", "false")


def unavailable(reason: str) -> None:
    """Skip the test, or fail it when CI demands every service (LOTSE_REQUIRE_SERVICES=1)."""
    if services_required():
        pytest.fail(f"{reason} (and {REQUIRE_FLAG} is set, so this cannot be skipped)")
    pytest.skip(reason)
