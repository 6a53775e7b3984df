"""The human side of integration tests: a matrix-nio client that remembers everything it syncs.

A background task long-polls /sync and appends every timeline event (decrypted where possible)
to `events`; the `wait_*` methods look at everything seen so far, so an answer that arrived
before the test started waiting still counts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import ClientError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    EnableEncryptionBuilder,
    EncryptionError,
    Event,
    JoinedMembersResponse,
    JoinResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomInviteResponse,
    RoomPreset,
    RoomSendResponse,
    SyncResponse,
)

from tests.integration.synapse_server import RegisteredUser

T = TypeVar("T")

OP_TIMEOUT = 30.0  # bound for every single client operation
WAIT_TIMEOUT = 15.0
SYNC_TIMEOUT_MS = 10_000
# The default timeline limit (10) makes Synapse return "limited" timelines after a burst of
# messages (say, while the server restarts); the skipped events would never be seen.
SYNC_FILTER: dict[str, Any] = {"room": {"timeline": {"limit": 100}}}
MAX_BACKOFF = 1.0


class MatrixRequestError(RuntimeError):
    """The homeserver answered a request of the test user with an error."""


@dataclass
class SeenEvent:
    """A timeline event and the room it came in (nio events do not carry their room id)."""

    room_id: str
    event: Event

    @property
    def source(self) -> dict[str, Any]:
        # For a decrypted Megolm event this is the decrypted payload; nio copies a cleartext
        # m.relates_to into its content, so reply matching works for both.
        return self.event.source

    @property
    def event_id(self) -> str:
        return self.event.event_id

    @property
    def sender(self) -> str:
        return self.event.sender

    @property
    def type(self) -> str:
        return str(self.source.get("type", ""))

    @property
    def content(self) -> dict[str, Any]:
        return dict(self.source.get("content") or {})

    @property
    def body(self) -> str | None:
        return self.content.get("body")

    @property
    def msgtype(self) -> str | None:
        return self.content.get("msgtype")

    @property
    def relates_to(self) -> dict[str, Any]:
        return dict(self.content.get("m.relates_to") or {})

    @property
    def in_reply_to(self) -> str | None:
        return (self.relates_to.get("m.in_reply_to") or {}).get("event_id")

    @property
    def decrypted(self) -> bool:
        return bool(self.event.decrypted)

    @property
    def undecryptable(self) -> bool:
        return isinstance(self.event, MegolmEvent)

    def __repr__(self) -> str:
        return f"<{self.type} {self.event_id} from {self.sender} in {self.room_id}: {self.body!r}>"


def _ok(response: Any, expected: type[T], what: str) -> T:
    if not isinstance(response, expected):
        raise MatrixRequestError(f"{what}: {response}")
    return response


class MatrixTestUser:
    """A logged-in human: `await start()`, act, `await wait_for(...)`, `await stop()`.

    Every `timeout=` is enforced with asyncio.timeout inside, so no wait is unbounded.
    """

    def __init__(
        self,
        homeserver: str,
        account: RegisteredUser,
        store_path: Path,
        *,
        encryption: bool = True,
    ) -> None:
        self.account = account
        self.store_path = Path(store_path)
        self.store_path.mkdir(parents=True, exist_ok=True)  # nio's crypto store needs the dir
        config = AsyncClientConfig(
            encryption_enabled=encryption,
            store_sync_tokens=False,
            request_timeout=OP_TIMEOUT,
            # A few quick retries only (0.1 s, 0.2 s, 0.4 s): they absorb a stale pooled
            # connection after a server restart, but a dead server fails the test instead of
            # nio's unbounded exponential back-off.
            max_timeouts=3,
        )
        self.client = AsyncClient(
            homeserver,
            account.user_id,
            device_id=account.device_id,
            store_path=str(self.store_path),
            config=config,
        )
        self.events: list[SeenEvent] = []
        self.sync_count = 0
        self.last_sync_error: str | None = None
        self._event_ids: set[str] = set()
        self._undecrypted: list[SeenEvent] = []
        self._changed = asyncio.Condition()
        self._sync_task: asyncio.Task[None] | None = None
        self._wake_task: asyncio.Future[None] | None = None

    @property
    def user_id(self) -> str:
        return self.account.user_id

    @property
    def device_id(self) -> str:
        return self.account.device_id

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Log in with the registered token, do the first sync, then keep syncing."""
        # Token login: the account came from the admin API with a token and a device already.
        self.client.restore_login(
            self.account.user_id, self.account.device_id, self.account.access_token
        )
        async with asyncio.timeout(OP_TIMEOUT):
            first = await self.client.sync(timeout=0, sync_filter=SYNC_FILTER, full_state=True)
            _ok(first, SyncResponse, f"first sync of {self.user_id}")
            await self._after_sync(first)  # uploads the device keys (encryption)
        self._sync_task = asyncio.create_task(self._sync_loop(), name=f"sync {self.user_id}")
        self._sync_task.add_done_callback(self._wake_waiters)

    def _wake_waiters(self, task: asyncio.Task[None]) -> None:
        # A crashed sync loop notifies nobody; waiters must see the crash, not a timeout.
        if not task.cancelled():
            self._wake_task = asyncio.ensure_future(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def stop(self) -> None:
        task, self._sync_task = self._sync_task, None
        if task is not None:
            # Cancel rather than stop_sync_forever: a long-poll would hold us for seconds.
            task.cancel()
            await asyncio.wait([task], timeout=5)
            if task.done() and not task.cancelled():
                task.exception()  # already reported by the waits; avoid "never retrieved"
        await self.client.close()

    async def __aenter__(self) -> MatrixTestUser:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- syncing -----------------------------------------------------------------------------

    async def _sync_loop(self) -> None:
        backoff = 0.1
        failing = False
        while True:
            try:
                # After a failure, catch up without long-polling: a quiet room would otherwise
                # hide for SYNC_TIMEOUT_MS that the server is back (see wait_for_sync).
                response = await self.client.sync(
                    timeout=0 if failing else SYNC_TIMEOUT_MS, sync_filter=SYNC_FILTER
                )
                if isinstance(response, SyncResponse):
                    await self._after_sync(response)
                    backoff, failing = 0.1, False
                    continue
                # nio returns a SyncError instead of raising, and would retry at once.
                self.last_sync_error = str(response)
            except (ClientError, TimeoutError) as exc:
                # Expected while the server restarts: keep polling, a little slower each time.
                self.last_sync_error = repr(exc)
            failing = True
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)

    async def _after_sync(self, response: SyncResponse) -> None:
        self._record(response)
        self._retry_decryption()
        self.sync_count += 1
        await self._notify()
        await self._crypto_housekeeping()
        await self._notify()  # for waiters on what the key query learnt (wait_for_device)

    def _record(self, response: SyncResponse) -> None:
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                event_id = getattr(event, "event_id", None)
                if event_id is None or event_id in self._event_ids:
                    continue
                self._event_ids.add(event_id)
                seen = SeenEvent(room_id, event)
                self.events.append(seen)
                if seen.undecryptable:
                    self._undecrypted.append(seen)

    def _retry_decryption(self) -> None:
        """A room key can arrive after its message; decrypt what is now decryptable."""
        if not self._undecrypted or self.client.olm is None:
            return
        still: list[SeenEvent] = []
        for seen in self._undecrypted:
            try:
                seen.event = self.client.decrypt_event(seen.event)
            except EncryptionError:
                still.append(seen)
        self._undecrypted = still

    async def _crypto_housekeeping(self) -> None:
        """What nio's sync_forever does between syncs; our own loop must do it itself."""
        client = self.client
        if client.olm is None:
            return
        await client.send_to_device_messages()
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())

    # -- waiting -----------------------------------------------------------------------------

    async def _wait_until(self, check: Callable[[], T | None], timeout: float, what: str) -> T:
        try:
            async with asyncio.timeout(timeout), self._changed:
                while True:
                    result = check()
                    if result is not None:
                        return result
                    self._raise_if_sync_died()
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(
                f"{self.user_id}: no {what} within {timeout}s. {self._diagnostics()}"
            ) from None

    def _raise_if_sync_died(self) -> None:
        task = self._sync_task
        if task is not None and task.done() and not task.cancelled() and task.exception():
            raise RuntimeError(f"sync loop of {self.user_id} crashed") from task.exception()

    def _diagnostics(self) -> str:
        recent = "\n  ".join(repr(seen) for seen in self.events[-8:]) or "(none)"
        return (
            f"syncs: {self.sync_count}, last sync error: {self.last_sync_error}; "
            f"recent events:\n  {recent}"
        )

    async def wait_for_device(
        self, user_id: str, device_id: str, timeout: float = WAIT_TIMEOUT
    ) -> None:
        """Until our device store knows that device, so what we send next is encrypted for
        it too (this client does not answer key requests, as an unverified device's would
        be refused in Element too)."""

        def known() -> bool | None:
            olm = self.client.olm
            if olm is None:
                return None
            devices = olm.device_store.active_user_devices(user_id)
            return True if any(device.id == device_id for device in devices) else None

        await self._wait_until(known, timeout, f"device {device_id} of {user_id}")

    async def wait_for(
        self,
        predicate: Callable[[SeenEvent], bool],
        timeout: float = WAIT_TIMEOUT,
        what: str = "matching event",
    ) -> SeenEvent:
        """The first event seen (now or earlier) that matches."""
        return await self._wait_until(
            lambda: next((seen for seen in self.events if predicate(seen)), None), timeout, what
        )

    async def wait_for_event(
        self,
        room_id: str,
        event_id: str,
        timeout: float = WAIT_TIMEOUT,
    ) -> SeenEvent:
        return await self.wait_for(
            lambda seen: seen.room_id == room_id and seen.event_id == event_id,
            timeout,
            f"event {event_id} in {room_id}",
        )

    async def wait_for_reply(
        self,
        room_id: str,
        to_event_id: str,
        sender: str | None = None,
        timeout: float = WAIT_TIMEOUT,
    ) -> SeenEvent:
        """A message (m.text, m.notice, decrypted or not) replying to `to_event_id`."""

        def is_reply(seen: SeenEvent) -> bool:
            return (
                seen.room_id == room_id
                and seen.type == "m.room.message"
                and seen.in_reply_to == to_event_id
                and (sender is None or seen.sender == sender)
            )

        return await self.wait_for(is_reply, timeout, f"reply to {to_event_id} from {sender}")

    async def wait_for_room(self, room_id: str, timeout: float = WAIT_TIMEOUT) -> None:
        """Until a sync shows the room as joined (nio refuses to send to rooms it has not seen)."""
        await self._wait_until(
            lambda: True if room_id in self.client.rooms else None, timeout, f"room {room_id}"
        )

    async def wait_for_invite(
        self,
        room_id: str | None = None,
        timeout: float = WAIT_TIMEOUT,
    ) -> str:
        """The id of a room we are invited to (the given one, or any)."""

        def invited() -> str | None:
            if room_id is not None:
                return room_id if room_id in self.client.invited_rooms else None
            return next(iter(self.client.invited_rooms), None)

        return await self._wait_until(invited, timeout, f"invite to {room_id or 'any room'}")

    async def wait_for_join(
        self,
        room_id: str,
        user_id: str,
        timeout: float = WAIT_TIMEOUT,
    ) -> None:
        """Until our synced room state shows `user_id` joined (not just invited)."""

        def joined() -> bool | None:
            room = self.client.rooms.get(room_id)
            member = room.users.get(user_id) if room else None
            return True if member is not None and not member.invited else None

        await self._wait_until(joined, timeout, f"join of {user_id} in {room_id}")

    async def wait_for_sync(self, timeout: float = WAIT_TIMEOUT) -> None:
        """Until one more sync has completed (e.g. to prove syncing works after a restart)."""
        target = self.sync_count + 1
        await self._wait_until(
            lambda: True if self.sync_count >= target else None, timeout, "completed sync"
        )

    # -- reading -----------------------------------------------------------------------------

    def events_in(self, room_id: str) -> list[SeenEvent]:
        return [seen for seen in self.events if seen.room_id == room_id]

    def messages_from(self, sender: str, room_id: str | None = None) -> list[SeenEvent]:
        """m.room.message events (decrypted where possible) by `sender`, in sync order."""
        return [
            seen
            for seen in self.events
            if seen.sender == sender
            and seen.type == "m.room.message"
            and (room_id is None or seen.room_id == room_id)
        ]

    async def joined_members(self, room_id: str) -> list[str]:
        """Asked from the server, not from our possibly lagging sync state."""
        async with asyncio.timeout(OP_TIMEOUT):
            response = await self.client.joined_members(room_id)
        members = _ok(response, JoinedMembersResponse, f"joined members of {room_id}").members
        return [member.user_id for member in members]

    # -- acting ------------------------------------------------------------------------------

    async def create_room(
        self,
        invite: Sequence[str] = (),
        encrypted: bool = False,
        name: str | None = None,
    ) -> str:
        """A private room; returns once our own sync shows it (and its encryption)."""
        initial_state = [EnableEncryptionBuilder().as_dict()] if encrypted else []
        async with asyncio.timeout(OP_TIMEOUT):
            response = await self.client.room_create(
                name=name,
                invite=list(invite),
                initial_state=initial_state,
                preset=RoomPreset.private_chat,
            )
        room_id = _ok(response, RoomCreateResponse, "room creation").room_id

        def ready() -> bool | None:
            room = self.client.rooms.get(room_id)
            return True if room is not None and (room.encrypted or not encrypted) else None

        await self._wait_until(ready, WAIT_TIMEOUT, f"new room {room_id} in sync")
        return room_id

    async def invite(self, room_id: str, user_id: str) -> None:
        async with asyncio.timeout(OP_TIMEOUT):
            response = await self.client.room_invite(room_id, user_id)
        _ok(response, RoomInviteResponse, f"inviting {user_id} to {room_id}")

    async def join(self, room_id: str) -> None:
        async with asyncio.timeout(OP_TIMEOUT):
            response = await self.client.join(room_id)
        _ok(response, JoinResponse, f"joining {room_id}")
        await self.wait_for_room(room_id)

    async def send(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        """Send any room event (encrypted automatically in encrypted rooms); its event id."""
        await self.wait_for_room(room_id)
        self._reshare_if_devices_missing(room_id)
        async with asyncio.timeout(OP_TIMEOUT):
            response = await self.client.room_send(
                room_id,
                event_type,
                content,
                # The bot's devices are never verified by a test; share the key anyway.
                ignore_unverified_devices=True,
            )
        return _ok(response, RoomSendResponse, f"sending {event_type} to {room_id}").event_id

    async def send_text(
        self,
        room_id: str,
        body: str,
        *,
        reply_to: str | None = None,
        msgtype: str = "m.text",
    ) -> str:
        content: dict[str, Any] = {"msgtype": msgtype, "body": body}
        if reply_to is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        return await self.send(room_id, "m.room.message", content)

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
        return await self.send(room_id, "m.reaction", content)

    def _reshare_if_devices_missing(self, room_id: str) -> None:
        """Start a new Megolm session if a member has a device our session never reached.

        nio keeps using an outbound session after a member's device shows up later (e.g. the
        bot uploaded its keys after we first queried them); that device could never decrypt.
        """
        olm = self.client.olm
        room = self.client.rooms.get(room_id)
        if olm is None or room is None or not room.encrypted:
            return
        session = olm.outbound_group_sessions.get(room_id)
        if session is None or not session.shared:
            return
        devices = {
            (user_id, device.id)
            for user_id in room.users
            for device in olm.device_store.active_user_devices(user_id)
            if (user_id, device.id) != (self.user_id, self.device_id)
        }
        if devices - session.users_shared_with - session.users_ignored:
            self.client.invalidate_outbound_session(room_id)
