"""The integration harness itself, against a real Synapse: if these fail, nothing else is
worth reading."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from benchmarks.bare_echo_bot import run_bare_echo_bot
from tests.integration.conftest import MakeUser, SynapseFactory
from tests.integration.matrix_user import MatrixTestUser
from tests.integration.synapse_server import RegisteredUser, SynapseServer


def raw_http(base_url: str) -> httpx.AsyncClient:
    """Plain HTTP to the test server, past nio (which decrypts and retries for us)."""
    return httpx.AsyncClient(base_url=base_url, timeout=10, trust_env=False)


async def shared_room(
    alice: MatrixTestUser, bob: MatrixTestUser, *, encrypted: bool = False
) -> str:
    room = await alice.create_room(invite=[bob.user_id], encrypted=encrypted, name="harness")
    assert await bob.wait_for_invite(room) == room
    await bob.join(room)
    await alice.wait_for_join(room, bob.user_id)
    return room


async def test_two_users_create_invite_and_join(make_user: MakeUser) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    assert alice.user_id.startswith("@alice") and alice.user_id.endswith(":localhost")
    room = await shared_room(alice, bob)
    assert sorted(await alice.joined_members(room)) == sorted([alice.user_id, bob.user_id])


async def test_message_round_trip_and_reply(make_user: MakeUser) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    room = await shared_room(alice, bob)
    question = await alice.send_text(room, "hello bob")
    seen = await bob.wait_for_event(room, question)
    assert (seen.sender, seen.body, seen.msgtype) == (alice.user_id, "hello bob", "m.text")

    answer = await bob.send_text(room, "hi alice", reply_to=question, msgtype="m.notice")
    reply = await alice.wait_for_reply(room, question, sender=bob.user_id)
    assert (reply.event_id, reply.body, reply.msgtype) == (answer, "hi alice", "m.notice")
    # Seen before asking counts too: the reply is already in alice's log.
    assert await alice.wait_for_reply(room, question, timeout=0.5) is reply
    assert [m.body for m in alice.messages_from(bob.user_id, room)] == ["hi alice"]


async def test_reaction_is_seen(make_user: MakeUser) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    room = await shared_room(alice, bob)
    message = await alice.send_text(room, "react to me")
    await bob.wait_for_event(room, message)
    reaction = await bob.react(room, message, "👍")
    seen = await alice.wait_for(
        lambda e: e.type == "m.reaction" and e.relates_to.get("event_id") == message
    )
    assert seen.event_id == reaction
    assert seen.relates_to == {"rel_type": "m.annotation", "event_id": message, "key": "👍"}


async def test_wait_for_times_out_with_diagnostics(make_user: MakeUser) -> None:
    alice = await make_user("alice")
    with pytest.raises(AssertionError, match="no reply to \\$nothing"):
        await alice.wait_for_reply("!nowhere:localhost", "$nothing", timeout=0.3)


async def test_encrypted_room_message_is_decrypted(make_user: MakeUser) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    room = await shared_room(alice, bob, encrypted=True)
    secret = await alice.send_text(room, "top secret")
    seen = await bob.wait_for_event(room, secret)
    assert seen.decrypted and seen.body == "top secret"

    # On the server it is ciphertext (nio's own room_get_event would decrypt it for us).
    async with raw_http(bob.client.homeserver) as http:
        raw = await http.get(
            f"/_matrix/client/v3/rooms/{room}/event/{secret}",
            headers={"Authorization": f"Bearer {bob.account.access_token}"},
        )
    assert raw.json()["type"] == "m.room.encrypted"
    assert "top secret" not in raw.text

    # Replies in encrypted rooms are matched after decryption too.
    await bob.send_text(room, "understood", reply_to=secret)
    reply = await alice.wait_for_reply(room, secret, sender=bob.user_id)
    assert reply.decrypted and reply.body == "understood"


async def test_restart_keeps_url_and_users_sync_again(
    synapse_factory: SynapseFactory, make_user: MakeUser
) -> None:
    server = synapse_factory()
    alice = await make_user("alice", server=server)
    bob = await make_user("bob", server=server)
    room = await shared_room(alice, bob)
    url = server.base_url

    await server.astop()
    assert not server.is_running
    await server.astart()
    assert server.is_running and server.base_url == url

    await alice.wait_for_sync(timeout=20)
    await bob.wait_for_sync(timeout=20)
    assert alice.last_sync_error is not None  # the outage was seen, and survived
    after = await alice.send_text(room, "still there?")
    assert (await bob.wait_for_event(room, after)).body == "still there?"
    # Accounts persist in the server's database across the restart.
    assert server.register(f"carol{uuid.uuid4().hex[:6]}").user_id.startswith("@carol")


async def _raw_send(http: httpx.AsyncClient, user: MatrixTestUser, room: str, n: int) -> int:
    response = await http.put(
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/raw{uuid.uuid4().hex}",
        json={"msgtype": "m.text", "body": f"burst {n}"},
        headers={"Authorization": f"Bearer {user.account.access_token}"},
    )
    return response.status_code


async def test_custom_rate_limits_apply_and_can_be_exempted(
    synapse_factory: SynapseFactory, make_user: MakeUser
) -> None:
    server = synapse_factory(rate_limits={"rc_message": {"per_second": 0.1, "burst_count": 3}})
    alice = await make_user("alice", server=server)
    room = await alice.create_room()
    # Raw HTTP: nio would silently sleep on the 429 instead of showing it.
    async with raw_http(server.base_url) as http:
        statuses = []
        for n in range(6):  # burst 3, and creating the room used one
            statuses.append(await _raw_send(http, alice, room, n))
            if statuses[-1] == 429:  # Synapse holds each 429 back ~0.5 s: stop at the first
                break
        assert statuses[-1] == 429 and len(statuses) <= 4, statuses

        server.exempt_from_rate_limits(alice.user_id)
        statuses = [await _raw_send(http, alice, room, n) for n in range(20)]
        assert set(statuses) == {200}, statuses


@pytest.fixture
async def bare_bot(
    synapse: SynapseServer, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[RegisteredUser]:
    """The benchmark's bare nio echo bot, running in this event loop (E2EE if param True)."""
    account = synapse.register(f"echo{uuid.uuid4().hex[:8]}")
    store = tmp_path / "echo-store" if getattr(request, "param", False) else None
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_bare_echo_bot(
            synapse.base_url,
            account.user_id,
            account.access_token,
            account.device_id,
            stop,
            store,
        )
    )
    yield account
    stop.set()
    await asyncio.wait_for(task, timeout=10)


@pytest.mark.parametrize("bare_bot", [False, True], ids=["plain", "encrypted"], indirect=True)
async def test_bare_echo_bot_answers_ping_only(
    bare_bot: RegisteredUser, make_user: MakeUser, request: pytest.FixtureRequest
) -> None:
    encrypted = request.node.callspec.params["bare_bot"]
    human = await make_user("human")
    room = await human.create_room(invite=[bare_bot.user_id], encrypted=encrypted)
    await human.wait_for_join(room, bare_bot.user_id)

    ping = await human.send_text(room, "!ping")
    pong = await human.wait_for_reply(room, ping, sender=bare_bot.user_id)
    assert (pong.body, pong.msgtype, pong.decrypted) == ("pong", "m.notice", encrypted)

    await human.send_text(room, "not a command")
    second = await human.send_text(room, "!ping")
    await human.wait_for_reply(room, second, sender=bare_bot.user_id)
    assert len(human.messages_from(bare_bot.user_id, room)) == 2


async def test_bare_echo_bot_ignores_messages_from_before_it_started(
    synapse: SynapseServer, make_user: MakeUser
) -> None:
    account = synapse.register(f"echo{uuid.uuid4().hex[:8]}")
    human = await make_user("human")
    room = await human.create_room(invite=[account.user_id])
    old = await human.send_text(room, "!ping")  # while no bot runs

    stop = asyncio.Event()
    task = asyncio.create_task(
        run_bare_echo_bot(
            synapse.base_url, account.user_id, account.access_token, account.device_id, stop
        )
    )
    try:
        await human.wait_for_join(room, account.user_id)
        new = await human.send_text(room, "!ping")
        await human.wait_for_reply(room, new, sender=account.user_id)
        replies = human.messages_from(account.user_id, room)
        assert [r.in_reply_to for r in replies] == [new], old
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
