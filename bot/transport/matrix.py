"""The Matrix transport: matrix-nio AsyncClient with E2EE (vodozemac), our own sync loop.

Why not `sync_forever`: it neither backs off on errors nor lets us persist the sync token
*after* the events of a sync were handled. Here a sync's events are delivered one by one, then
the token is stored; a crash in between re-delivers them, and the core's ledger drops repeats.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    JoinError,
    LocalProtocolError,
    LoginResponse,
    MegolmEvent,
    MessageDirection,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
    WhoamiResponse,
)
from nio.exceptions import OlmUnverifiedDeviceError

from bot.config import ConfigError, Settings
from bot.errors import error_line
from bot.messages import MAX_ENCRYPTED_MESSAGE_BYTES, MAX_MESSAGE_BYTES
from bot.store import Store
from bot.transport.base import EventHandler, Incoming, Outgoing, SendError

log = logging.getLogger(__name__)

SYNC_TOKEN_KEY = "matrix.sync_token"
SYNC_TIMEOUT_MS = 30_000
BACKOFF_MIN, BACKOFF_MAX = 1.0, 60.0
UNDECRYPTABLE_GRACE = 600.0  # seconds an undecryptable event waits for its keys
UNDECRYPTABLE_MAX = 500
# Only what the bot uses: no presence, no typing/receipts, no account data.
SYNC_FILTER: dict[str, Any] = {
    "presence": {"types": []},
    "account_data": {"types": []},
    "room": {
        "ephemeral": {"types": []},
        "account_data": {"types": []},
        "timeline": {"limit": 100},
    },
}
REFUSED_TOKEN_CODES = {"M_UNKNOWN_TOKEN", "M_MISSING_TOKEN", "M_FORBIDDEN", "M_USER_DEACTIVATED"}
GAP_MAX_EVENTS = 5_000  # after a long outage, read at most this much missed history per room
GAP_RETRIES = 8  # about 3 minutes of backoff before an unreadable gap is skipped, not forever


class GapUnreadable(Exception):
    """The homeserver would not give us the events we missed (yet)."""


@dataclass
class Credentials:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str

    @classmethod
    def load(cls, path: Path) -> Credentials | None:
        try:
            data = json.loads(path.read_text())
            return cls(**{k: str(data[k]) for k in cls.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(self.__dict__, handle)
        tmp.replace(path)


@dataclass
class _Pending:
    room_id: str
    event: MegolmEvent
    since: float  # wall-clock seconds: it survives a restart in the store


class Backoff:
    """Waits that grow with the outage: a quarter of its length so far, jittered, 1 s .. 60 s.

    Each wait is 25 % of the time already failed, so attempts thin out geometrically (never a
    tight loop), yet the bot is back within about a quarter of the outage once the server is.
    """

    def __init__(self, low: float = BACKOFF_MIN, high: float = BACKOFF_MAX) -> None:
        self.low, self.high = low, high
        self.failures = 0
        self._since: float | None = None

    def next_delay(self) -> float:
        now = time.monotonic()
        if self._since is None:
            self._since = now
        self.failures += 1
        ceiling = min(self.high, max(self.low, 0.25 * (now - self._since)))
        return ceiling * random.uniform(0.8, 1.0)

    def reset(self) -> bool:
        """Back to normal; True if it had been failing."""
        was_failing = self.failures > 0
        self.failures = 0
        self._since = None
        return was_failing


class MatrixTransport:
    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        settings.require_matrix()
        assert settings.matrix_homeserver and settings.matrix_user_id
        self.settings = settings
        self.homeserver = settings.matrix_homeserver
        self.user_id = settings.matrix_user_id
        self.store = store
        self.data_dir = settings.data_dir
        self.client: AsyncClient | None = None
        self.backoff = Backoff()
        self.processing_backoff = Backoff()
        self._stopping = False
        self._sync_task: asyncio.Task[Any] | None = None
        self._undecryptable: list[_Pending] = []
        self._ready = asyncio.Event()
        self._announced = False
        # A new client (logged in again) knows no rooms: its next sync must bring their state,
        # or it would see none, and an encrypted room as a plain one.
        self._full_state_due = False
        self._background: set[asyncio.Future[None]] = set()

    # -- login --------------------------------------------------------------------------------

    @property
    def credentials_path(self) -> Path:
        return self.data_dir / "credentials.json"

    async def _login(self, *, fresh: bool = False, device_id: str | None = None) -> AsyncClient:
        """A logged-in client: saved credentials, else MATRIX_ACCESS_TOKEN, else the password.

        `fresh` (the homeserver revoked our token) skips both saved credentials and token and
        logs in with the password; `device_id` keeps the device after a soft logout.
        """
        encryption = self.settings.encryption
        store_path = self.data_dir / "crypto"
        store_path.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(
            encryption_enabled=encryption,
            store_sync_tokens=False,  # the token lives in our store, saved after handling
            max_timeouts=0,  # connection errors come to us: we back off ourselves
            max_limit_exceeded=30,  # 429s are waited out (retry_after_ms), but not forever
            request_timeout=60,
        )
        saved = None if fresh else Credentials.load(self.credentials_path)
        if saved and (saved.homeserver, saved.user_id) != (self.homeserver, self.user_id):
            saved = None
        env_token = self.settings.matrix_access_token
        if env_token and saved and saved.access_token != env_token.get_secret_value():
            saved = None  # a new token was configured: its device is the one to use
        client = AsyncClient(
            self.homeserver,
            self.user_id,
            device_id=device_id,
            store_path=str(store_path),
            config=config,
        )
        try:
            if saved is None:
                saved = await self._new_credentials(client, password_only=fresh)
                saved.save(self.credentials_path)
            client.restore_login(saved.user_id, saved.device_id, saved.access_token)
        except BaseException:
            await client.close()  # one HTTP session per attempt would leak otherwise
            raise
        return client

    async def _new_credentials(self, client: AsyncClient, *, password_only: bool) -> Credentials:
        token = self.settings.matrix_access_token
        password = self.settings.matrix_password
        if token and not password_only:
            client.access_token = token.get_secret_value()
            client.user_id = self.user_id
            who = await client.whoami()
            if isinstance(who, WhoamiResponse) and who.device_id:
                if who.user_id != self.user_id:
                    raise ConfigError(
                        f"MATRIX_ACCESS_TOKEN belongs to {who.user_id}, not {self.user_id}"
                    )
                return Credentials(
                    self.homeserver, self.user_id, who.device_id, client.access_token
                )
            refused = getattr(who, "status_code", None) in REFUSED_TOKEN_CODES
            if not refused:  # a 5xx or a proxy's error page: the server is not up yet
                raise ConnectionError(f"whoami failed: {error_line(who)}")
            if not password or not _is_unknown_token(who):
                raise ConfigError(f"MATRIX_ACCESS_TOKEN was not accepted by {self.homeserver}")
            log.warning("MATRIX_ACCESS_TOKEN is no longer valid; logging in with MATRIX_PASSWORD")
            client.access_token = ""
        if not password:
            raise ConfigError("MATRIX_PASSWORD is not set, so the bot cannot log in again")
        response = await client.login(
            password.get_secret_value(), device_name=self.settings.matrix_device_name
        )
        if not isinstance(response, LoginResponse):
            if getattr(response, "status_code", None) in {"M_FORBIDDEN", "M_USER_DEACTIVATED"}:
                raise ConfigError(f"MATRIX_PASSWORD: login as {self.user_id} failed")
            # Anything else (a 5xx, a 429 that outlasted nio's patience): try again later.
            raise ConnectionError(f"login as {self.user_id} failed: {error_line(response)}")
        return Credentials(self.homeserver, self.user_id, response.device_id, response.access_token)

    async def _login_again(self, soft_logout: bool) -> None:
        """The homeserver no longer accepts our token: log in with the password, or stop."""
        self.credentials_path.unlink(missing_ok=True)  # the saved token is dead either way
        if not self.settings.matrix_password:
            raise ConfigError(
                f"{self.homeserver} no longer accepts the bot's access token (logged out or "
                "revoked): set a new MATRIX_ACCESS_TOKEN, or MATRIX_PASSWORD to log in again"
            )
        old = self.client
        # After a soft logout the device still exists: keep it (and its keys).
        device_id = old.device_id if soft_logout and old is not None else None
        log.warning(
            "the access token was revoked%s; logging in again with MATRIX_PASSWORD",
            " (soft logout)" if soft_logout else "",
        )
        if old is not None:
            await old.close()
        client = await self._with_backoff_login(fresh=True, device_id=device_id)
        if client is not None:
            self.client = client
            self._full_state_due = True
            log.info("logged in again: device=%s", client.device_id)

    # -- the sync loop ------------------------------------------------------------------------

    async def run(self, on_event: EventHandler) -> None:
        if self.store is None:
            raise RuntimeError("MatrixTransport needs the store to keep its sync token")
        client = await self._with_backoff_login()
        if client is None:
            return  # stopped while the homeserver was unreachable
        self.client = client
        try:
            self._load_undecryptable()
        except Exception as exc:  # noqa: BLE001 - the store came back from setup; rare
            log.warning("could not reload encrypted events waiting for keys: %s", error_line(exc))
        token = self.store.get_value(SYNC_TOKEN_KEY)
        first = True
        try:
            while not self._stopping:
                response = await self._sync_once(token, full_state=first or self._full_state_due)
                if response is None:
                    continue
                if not self._announced:
                    self._announced = True  # once, even if handling this sync must be retried
                    log.info(
                        "Lotse started: homeserver=%s user=%s device=%s joined_rooms=%d",
                        self.homeserver,
                        self.user_id,
                        self.client.device_id,
                        len(self.client.rooms),
                    )
                try:
                    await self._process(response, on_event, since=token)
                    self.store.set_value(SYNC_TOKEN_KEY, response.next_batch)
                except Exception as exc:  # noqa: BLE001 - store, handler or homeserver trouble
                    # The token stays where it was: the same batch comes again, and the ledger
                    # drops what was already handled from it.
                    delay = self.processing_backoff.next_delay()
                    if self.processing_backoff.failures == 1:
                        log.warning("handling a sync failed (%s); will retry it", error_line(exc))
                    await self._sleep(delay)
                    continue
                if self.processing_backoff.reset():
                    log.warning("handling syncs works again")
                token = response.next_batch
                first = self._full_state_due = False
                self._ready.set()
        except BaseException:
            if self.client is not None:
                await self.client.close()
            raise

    async def _process(
        self, response: SyncResponse, on_event: EventHandler, since: str | None
    ) -> None:
        await self._after_sync_crypto()
        await self._handle_invites(response)
        # Before the very first start there is no token: nothing old is answered.
        await self._deliver(response, on_event, since is not None, since=since)
        await self._retry_undecryptable(on_event)

    async def _with_backoff_login(
        self, *, fresh: bool = False, device_id: str | None = None
    ) -> AsyncClient | None:
        """Log in, waiting out an unreachable homeserver; None if stopped meanwhile."""
        while not self._stopping:
            # A task of its own, so stop() can cancel a login hanging on a dead connection.
            attempt = asyncio.ensure_future(self._login(fresh=fresh, device_id=device_id))
            self._sync_task = attempt
            try:
                client = await attempt
            except asyncio.CancelledError:
                if self._stopping:
                    return None
                raise
            except ConfigError:
                raise
            except Exception as exc:  # noqa: BLE001 - unreachable server: wait and try again
                delay = self.backoff.next_delay()
                if self.backoff.failures == 1:
                    log.warning(
                        "homeserver %s unreachable (%s); retrying", self.homeserver, error_line(exc)
                    )
                await self._sleep(delay)
                continue
            finally:
                self._sync_task = None
            if self.backoff.reset():
                log.warning("connection to %s restored", self.homeserver)
            return client
        return None

    async def _sync_once(self, token: str | None, *, full_state: bool) -> SyncResponse | None:
        assert self.client is not None
        self._sync_task = asyncio.ensure_future(
            self.client.sync(
                timeout=0 if full_state else SYNC_TIMEOUT_MS,
                since=token,
                full_state=full_state,
                sync_filter=SYNC_FILTER,
            )
        )
        try:
            response = await self._sync_task
        except asyncio.CancelledError:
            if self._stopping:
                return None
            raise
        except Exception as exc:  # noqa: BLE001 - connection errors of any kind
            response = exc
        finally:
            self._sync_task = None
        if isinstance(response, SyncResponse):
            if self.backoff.reset():
                log.warning("connection to %s restored", self.homeserver)
            return response
        if _is_unknown_token(response):
            await self._login_again(bool(getattr(response, "soft_logout", False)))
            return None
        delay = self.backoff.next_delay()
        if self.backoff.failures == 1:
            problem = error_line(response)
            log.warning("sync with %s failed (%s); backing off", self.homeserver, problem)
        await self._sleep(delay)
        return None

    async def _sleep(self, seconds: float) -> None:
        try:
            self._sync_task = asyncio.ensure_future(asyncio.sleep(seconds))
            await self._sync_task
        except asyncio.CancelledError:
            if not self._stopping:
                raise
        finally:
            self._sync_task = None

    async def _after_sync_crypto(self) -> None:
        client = self.client
        if client is None or client.olm is None:
            return
        try:
            await client.send_to_device_messages()
            if client.should_upload_keys:
                await client.keys_upload()
            if client.should_query_keys:
                await client.keys_query()
            if client.should_claim_keys:
                await client.keys_claim(client.get_users_for_key_claiming())
        except Exception as exc:  # noqa: BLE001 - key maintenance is retried next sync
            log.warning("key maintenance failed: %s", error_line(exc))

    async def _handle_invites(self, response: SyncResponse) -> None:
        assert self.client is not None
        for room_id, info in response.rooms.invite.items():
            inviter = next(
                (
                    ev.sender
                    for ev in info.invite_state
                    if isinstance(ev, InviteMemberEvent)
                    and ev.state_key == self.user_id
                    and ev.membership == "invite"
                ),
                None,
            )
            if inviter and self.settings.is_allowed(inviter):
                result = await self.client.join(room_id)  # raising: the sync is retried
                if isinstance(result, JoinError):
                    log.warning("could not join %s: %s", room_id, result.message)
                else:
                    log.info("joined %s on invitation by %s", room_id, inviter)
            else:
                log.info("declined invitation to %s by %s (not allowed)", room_id, inviter)
                try:
                    await self.client.room_leave(room_id)
                except Exception as exc:  # noqa: BLE001 - an invite left pending does no harm
                    log.warning("could not decline invitation to %s: %s", room_id, error_line(exc))

    async def _deliver(
        self, response: SyncResponse, on_event: EventHandler, deliver: bool, since: str | None
    ) -> None:
        for room_id, info in response.rooms.join.items():
            events = list(info.timeline.events)
            if deliver and info.timeline.limited and since and info.timeline.prev_batch:
                # The server left out events between our token and this batch: fetch them.
                events = await self._fill_gap(room_id, info.timeline.prev_batch, since) + events
            # A room joined in this sync shows history from before the join: skip it.
            start = _after_own_join(events, self.user_id)
            for event in events[start:]:
                if not deliver:
                    continue
                if isinstance(event, MegolmEvent):
                    self._remember_undecryptable(room_id, event)
                    continue
                incoming = self._to_incoming(room_id, event)
                if incoming is not None:
                    await on_event(incoming)

    async def _fill_gap(self, room_id: str, prev_batch: str, since: str) -> list[Any]:
        """Events from `since` up to `prev_batch`, oldest first (read backwards, bounded)."""
        assert self.client is not None
        collected: list[Any] = []
        start: str | None = prev_batch
        while start and len(collected) < GAP_MAX_EVENTS:
            try:
                page: Any = await self.client.room_messages(
                    room_id, start=start, end=since, direction=MessageDirection.back, limit=100
                )
            except Exception as exc:  # noqa: BLE001 - judged below like an error response
                page = exc
            if not isinstance(page, RoomMessagesResponse):
                if self.processing_backoff.failures < GAP_RETRIES:
                    raise GapUnreadable(f"missed messages in {room_id}: {error_line(page)}")
                log.error(
                    "gave up reading missed messages in %s after %d attempts: %s",
                    room_id,
                    GAP_RETRIES,
                    error_line(page),
                )
                break
            collected.extend(page.chunk)
            if not page.chunk or page.end == start:
                break
            start = page.end
        if len(collected) >= GAP_MAX_EVENTS:
            log.warning(
                "more than %d missed events in %s; older ones skipped", GAP_MAX_EVENTS, room_id
            )
        collected.reverse()  # nio has decrypted what it could; the rest waits for keys
        return collected

    def _to_incoming(self, room_id: str, event: Any) -> Incoming | None:
        if getattr(event, "sender", None) == self.user_id:
            return None
        source: dict[str, Any] = getattr(event, "source", {}) or {}
        content = source.get("content", {}) or {}
        ts = int(getattr(event, "server_timestamp", 0) or 0)
        if isinstance(event, RoomMessageText):
            relates = content.get("m.relates_to") or {}
            if content.get("msgtype") == "m.notice" or relates.get("rel_type") == "m.replace":
                return None  # other bots' notices and edits are not commands
            return Incoming(
                room_id, event.sender, event.event_id, _strip_reply_fallback(event.body), ts
            )
        if source.get("type") == "m.reaction":
            relates = content.get("m.relates_to") or {}
            if relates.get("rel_type") == "m.annotation" and relates.get("event_id"):
                return Incoming(
                    room_id,
                    event.sender,
                    event.event_id,
                    kind="reaction",
                    relates_to=str(relates["event_id"]),
                    key=str(relates.get("key", "")),
                    origin_ts=ts,
                )
        return None

    # -- undecryptable events -------------------------------------------------------------------

    def _remember_undecryptable(self, room_id: str, event: MegolmEvent) -> None:
        if event.sender == self.user_id or any(
            held.event.event_id == event.event_id for held in self._undecryptable
        ):
            return  # a retried sync brings the same event again
        pending = _Pending(room_id, event, time.time())
        # Kept in the store too: the sync token moves on, so after a restart nothing else
        # would bring this event back. If the store fails, the batch is handled again.
        if self.store is not None:
            self.store.add_pending(
                event.event_id,
                room_id,
                json.dumps(event.source),
                datetime.fromtimestamp(pending.since, UTC),
            )
        self._hold(pending)

    def _hold(self, pending: _Pending) -> None:
        self._undecryptable.append(pending)
        del self._undecryptable[:-UNDECRYPTABLE_MAX]
        if self.client is not None:
            task = asyncio.ensure_future(self._request_key(pending.event))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    def _load_undecryptable(self) -> None:
        """At start: the events still waiting for keys when the bot last stopped."""
        if self.store is None:
            return
        expired: list[str] = []
        for row in self.store.pending_events():
            since = row.first_seen.timestamp()
            if time.time() - since >= UNDECRYPTABLE_GRACE:
                expired.append(row.event_id)
                continue
            try:
                event = MegolmEvent.from_dict({**json.loads(row.source), "room_id": row.room_id})
            except (ValueError, TypeError, KeyError):
                event = None
            if not isinstance(event, MegolmEvent):
                expired.append(row.event_id)  # unreadable: nothing to wait for
                continue
            self._hold(_Pending(row.room_id, event, since))
        if expired:
            log.warning("dropped %d encrypted events whose keys never arrived", len(expired))
        self.store.remove_pending(expired)
        if self._undecryptable:
            log.info("waiting for the keys of %d encrypted events", len(self._undecryptable))

    async def _request_key(self, event: MegolmEvent) -> None:
        try:
            assert self.client is not None
            await self.client.request_room_key(event)
        except Exception as exc:  # noqa: BLE001 - a duplicate request raises; harmless
            log.debug("room key request: %s", error_line(exc))

    async def _retry_undecryptable(self, on_event: EventHandler) -> None:
        if not self._undecryptable or self.client is None:
            return
        still: list[_Pending] = []
        done: list[str] = []
        now = time.time()
        for pending in self._undecryptable:
            try:
                decrypted = self.client.decrypt_event(pending.event)
            except Exception:  # noqa: BLE001 - keys not there yet
                decrypted = None
            if decrypted is not None and not isinstance(decrypted, MegolmEvent):
                incoming = self._to_incoming(pending.room_id, decrypted)
                if incoming is not None:
                    await on_event(incoming)  # EventDeferred: kept, tried with the next sync
                done.append(pending.event.event_id)
            elif now - pending.since < UNDECRYPTABLE_GRACE:
                still.append(pending)
            else:
                log.warning(
                    "dropped event %s in %s: its keys did not arrive within %ds",
                    pending.event.event_id,
                    pending.room_id,
                    UNDECRYPTABLE_GRACE,
                )
                done.append(pending.event.event_id)
        self._undecryptable = still
        if self.store is not None:
            self.store.remove_pending(done)

    # -- sending ----------------------------------------------------------------------------------

    async def send(self, out: Outgoing) -> str:
        client = self.client
        if client is None:
            raise SendError("not connected yet", transient=True)
        content: dict[str, Any] = {
            "msgtype": "m.notice",
            "body": out.message.plain,
            "format": "org.matrix.custom.html",
            "formatted_body": out.message.html,
            "m.mentions": {"user_ids": sorted(out.message.mentions)},
        }
        if out.reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": out.reply_to}}
        try:
            response = await client.room_send(
                out.room_id,
                "m.room.message",
                content,
                tx_id=out.txn_id,
                ignore_unverified_devices=True,
            )
        except (LocalProtocolError, OlmUnverifiedDeviceError) as exc:
            # Typically: the room is not known yet (joined but not synced): retry later.
            raise SendError(str(exc), transient=True) from exc
        except Exception as exc:
            raise SendError(error_line(exc), transient=True) from exc
        if isinstance(response, RoomSendResponse):
            return str(response.event_id)
        status = str(getattr(response, "status_code", "") or "")
        permanent = status in {"M_FORBIDDEN", "M_NOT_FOUND", "M_TOO_LARGE", "M_BAD_JSON"}
        raise SendError(
            f"{status or 'error'}: {getattr(response, 'message', '')}", transient=not permanent
        )

    async def stop(self) -> None:
        self._stopping = True
        task = self._sync_task
        if task is not None and not task.done():
            task.cancel()  # only the long-poll or a backoff sleep; a handler in flight finishes

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()

    def joined_rooms(self) -> list[str]:
        return list(self.client.rooms) if self.client is not None else []

    def message_limit(self, room_id: str) -> int:
        # Megolm makes a message about a third larger; a room not known yet might be encrypted.
        room = self.client.rooms.get(room_id) if self.client is not None else None
        if room is not None and not room.encrypted:
            return MAX_MESSAGE_BYTES
        return MAX_ENCRYPTED_MESSAGE_BYTES

    async def wait_ready(self) -> None:
        await self._ready.wait()


def _after_own_join(events: Iterable[Any], user_id: str) -> int:
    index = 0
    for position, event in enumerate(events):
        if (
            isinstance(event, RoomMemberEvent)
            and event.state_key == user_id
            and event.membership == "join"
            and (event.prev_membership or "leave") != "join"
        ):
            index = position + 1
    return index


def _strip_reply_fallback(body: str) -> str:
    """Drop the quoted `> ...` lines clients put in front of a reply's body."""
    if not body.startswith("> "):
        return body
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    if lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _is_unknown_token(response: object) -> bool:
    return getattr(response, "status_code", None) == "M_UNKNOWN_TOKEN"
