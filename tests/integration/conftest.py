"""Fixtures for tests against a real Synapse on 127.0.0.1 (see synapse_server.py).

`synapse` is one server for the whole session (starting one costs ~2 s); tests stay independent
by using fresh users and rooms. `synapse_factory` gives a test a server of its own, e.g. with
tight rate limits or to restart it. Without Synapse the tests skip, unless
LOTSE_REQUIRE_SERVICES=1 demands every service (then they fail).
"""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import pytest

from tests.integration.matrix_user import MatrixTestUser
from tests.integration.synapse_server import SynapseError, SynapseServer
from tests.services import unavailable

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, not only ours.
    for item in items:
        if item.path.resolve().is_relative_to(_HERE):
            item.add_marker(pytest.mark.integration)


def _start_or_skip(server: SynapseServer) -> SynapseServer:
    if importlib.util.find_spec("synapse") is None:
        unavailable("matrix-synapse is not installed (pip install -e '.[test]')")
    try:
        server.start()
    except (SynapseError, OSError) as exc:
        unavailable(f"Synapse did not start: {exc}")
    return server


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """The session's homeserver. Synchronous on purpose: no event loop outlives a test."""
    server = SynapseServer(tmp_path_factory.mktemp("synapse"))
    try:
        yield _start_or_skip(server)
    finally:
        server.stop()


class SynapseFactory(Protocol):
    def __call__(
        self,
        rate_limits: Mapping[str, Any] | None = None,
        *,
        extra_config: Mapping[str, Any] | None = None,
    ) -> SynapseServer: ...


@pytest.fixture
def synapse_factory(tmp_path: Path) -> Iterator[SynapseFactory]:
    """Started servers of the test's own; all are stopped after the test."""
    servers: list[SynapseServer] = []

    def make(
        rate_limits: Mapping[str, Any] | None = None,
        *,
        extra_config: Mapping[str, Any] | None = None,
    ) -> SynapseServer:
        server = SynapseServer(
            tmp_path / f"synapse{len(servers)}",
            rate_limits=rate_limits,
            extra_config=extra_config,
        )
        servers.append(server)
        return _start_or_skip(server)

    yield make
    for server in servers:
        server.stop()


class MakeUser(Protocol):
    async def __call__(
        self,
        prefix: str = "user",
        *,
        server: SynapseServer | None = None,
        encryption: bool = True,
    ) -> MatrixTestUser: ...


@pytest.fixture
async def make_user(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MakeUser]:
    """`await make_user("friend")` -> a started user @friend<random>:localhost.

    Users live on the session server unless `server=` names another one; all are stopped
    after the test.
    """
    users: list[MatrixTestUser] = []

    async def make(
        prefix: str = "user",
        *,
        server: SynapseServer | None = None,
        encryption: bool = True,
    ) -> MatrixTestUser:
        # Looked up lazily so tests with only their own server do not start the shared one.
        server = server or request.getfixturevalue("synapse")
        account = server.register(f"{prefix}{uuid.uuid4().hex[:8]}")
        user = MatrixTestUser(
            server.base_url,
            account,
            tmp_path / "users" / account.localpart,
            encryption=encryption,
        )
        users.append(user)  # before start(): a half-started user is cleaned up too
        await user.start()
        return user

    yield make
    for user in reversed(users):
        await user.stop()
