"""A real Synapse homeserver on 127.0.0.1 for integration tests, one subprocess per instance.

The configuration is written by hand instead of `--generate-config`: that adds a federation
listener and a remote key server, and is slower. Every default rate limit is relaxed because
Synapse's defaults (0.2 messages/s, 10 rooms per ~10 min, 5 invites per user, ...) turn a test
suite into a series of silent 5-second nio back-offs; tests that are about rate limits pass
their own `rate_limits`.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import copy
import hashlib
import hmac
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import yaml

SERVER_NAME = "localhost"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
HTTP_TIMEOUT = 10.0
# Every httpx client here uses trust_env=False: loopback only, never via an env proxy.

_RELAXED = {"per_second": 10000, "burst_count": 100000}

# Every limiter Synapse 1.163 reads with {per_second, burst_count}; nested keys are dotted.
RATE_LIMIT_KEYS = (
    "rc_message",
    "rc_registration",
    "rc_registration_token_validity",
    "rc_login.address",
    "rc_login.account",
    "rc_login.failed_attempts",
    "rc_admin_redaction",
    "rc_joins.local",
    "rc_joins.remote",
    "rc_joins_per_room",
    "rc_key_requests",
    "rc_3pid_validation",
    "rc_invites.per_room",
    "rc_invites.per_user",
    "rc_invites.per_issuer",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_presence.per_user",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
)


class SynapseError(RuntimeError):
    """Synapse did not start, or an admin request failed."""


@dataclass(frozen=True)
class RegisteredUser:
    user_id: str
    access_token: str = field(repr=False)
    device_id: str
    password: str = field(repr=False)

    @property
    def localpart(self) -> str:
        return self.user_id[1:].split(":", 1)[0]


def relaxed_rate_limits() -> dict[str, Any]:
    """The rc_* section with every limiter effectively off."""
    limits: dict[str, Any] = {}
    for key in RATE_LIMIT_KEYS:
        *parents, leaf = key.split(".")
        node = limits
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = dict(_RELAXED)
    return limits


def _deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def free_port() -> int:
    """A port nobody listens on right now (the tiny race until Synapse binds it is accepted)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SynapseServer:
    """One Synapse process with its own data dir; the port survives stop/start."""

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        rate_limits: Mapping[str, Any] | None = None,
        *,
        extra_config: Mapping[str, Any] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        # Chosen once: a bot under test must find the server at the same URL after a restart.
        self.port = port or free_port()
        self.rate_limits = _deep_merge(relaxed_rate_limits(), rate_limits or {})
        self.extra_config = dict(extra_config or {})
        self.config_path = self.data_dir / "homeserver.yaml"
        self.log_path = self.data_dir / "homeserver.log"
        self.output_path = self.data_dir / "stdout.log"
        self._shared_secret = secrets.token_hex(32)
        self._proc: subprocess.Popen[bytes] | None = None
        self._admin: RegisteredUser | None = None
        self._atexit_registered = False

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def server_name(self) -> str:
        return SERVER_NAME

    @property
    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Spawn Synapse and return once the client API answers."""
        if self.is_running:
            return
        self._write_files()
        with self.output_path.open("ab") as output:
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "synapse.app.homeserver",
                    "--config-path",
                    str(self.config_path),
                ],
                cwd=self.data_dir,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        if not self._atexit_registered:
            # Safety net if pytest dies before fixture teardown: no orphaned homeservers.
            atexit.register(self._kill_quietly)
            self._atexit_registered = True
        try:
            self._wait_ready(timeout)
        except BaseException:
            self._kill_quietly()
            raise

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM and wait on our own Popen (kill -0 lies while the process is a zombie)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)

    def restart(self, timeout: float = START_TIMEOUT) -> None:
        self.stop()
        self.start(timeout)

    # Async variants so a test's event loop (and its users' sync tasks) keeps running.
    async def astart(self) -> None:
        await asyncio.to_thread(self.start)

    async def astop(self) -> None:
        await asyncio.to_thread(self.stop)

    async def arestart(self) -> None:
        await asyncio.to_thread(self.restart)

    def __enter__(self) -> SynapseServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, lines: int = 40) -> str:
        parts = []
        for path in (self.output_path, self.log_path):
            if path.exists():
                text = path.read_text("utf-8", "replace").splitlines()[-lines:]
                parts.append(f"--- {path.name} ---\n" + "\n".join(text))
        return "\n".join(parts) or "(no log output)"

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"{self.base_url}/_matrix/client/versions"
        with httpx.Client(timeout=1.0, trust_env=False) as http:
            while time.monotonic() < deadline:
                assert self._proc is not None
                if self._proc.poll() is not None:
                    raise SynapseError(
                        f"Synapse exited with code {self._proc.returncode} during start:\n"
                        f"{self.log_tail()}"
                    )
                try:
                    if http.get(url).status_code == 200:
                        return
                except httpx.TransportError:
                    pass  # not listening yet
                time.sleep(0.05)
        raise SynapseError(f"Synapse not ready within {timeout:.0f}s:\n{self.log_tail()}")

    def _kill_quietly(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(STOP_TIMEOUT)

    # -- configuration -----------------------------------------------------------------------

    def _write_files(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "media_store").mkdir(exist_ok=True)
        key_path = self.data_dir / "signing.key"
        if not key_path.exists():  # keep the server identity across restarts
            seed = base64.b64encode(os.urandom(32)).decode().rstrip("=")
            key_path.write_text(f"ed25519 a_test {seed}\n")
        log_config = self.data_dir / "log.yaml"
        log_config.write_text(yaml.safe_dump(self._log_config()))
        self.config_path.write_text(yaml.safe_dump(self.config(), sort_keys=False))

    def config(self) -> dict[str, Any]:
        """The homeserver.yaml content (also handy to inspect in a failing test)."""
        data = self.data_dir
        config: dict[str, Any] = {
            "server_name": SERVER_NAME,
            "public_baseurl": f"{self.base_url}/",
            "pid_file": str(data / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(data / "homeserver.db")}},
            "log_config": str(data / "log.yaml"),
            "media_store_path": str(data / "media_store"),
            "signing_key_path": str(data / "signing.key"),
            "registration_shared_secret": self._shared_secret,
            "macaroon_secret_key": self._shared_secret + "m",
            "form_secret": self._shared_secret + "f",
            "enable_registration": False,
            "bcrypt_rounds": 4,  # ~16 ms per login/registration instead of ~0.5 s
            "report_stats": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "presence": {"enabled": False},
            "url_preview_enabled": False,
            "enable_metrics": False,
            # A new database runs ~56 background updates: ~2 s instead of ~1.5 min.
            "background_updates": {"sleep_enabled": False},
        }
        config.update(self.rate_limits)
        return _deep_merge(config, self.extra_config)

    def _log_config(self) -> dict[str, Any]:
        return {
            "version": 1,
            "formatters": {"precise": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "precise",
                    "filename": str(self.log_path),
                    "encoding": "utf8",
                }
            },
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }

    # -- users -------------------------------------------------------------------------------

    def register(
        self, localpart: str, password: str | None = None, admin: bool = False
    ) -> RegisteredUser:
        """Create a user via the shared-secret admin API; the answer carries a fresh token."""
        password = password or secrets.token_urlsafe(16)
        url = f"{self.base_url}/_synapse/admin/v1/register"
        with httpx.Client(timeout=HTTP_TIMEOUT, trust_env=False) as http:
            nonce_response = http.get(url)
            _check(nonce_response, "registration nonce")
            nonce = nonce_response.json()["nonce"]
            body = {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": self._registration_mac(nonce, localpart, password, admin),
            }
            response = http.post(url, json=body)
        _check(response, f"registering {localpart!r}")
        answer = response.json()
        return RegisteredUser(
            user_id=answer["user_id"],
            access_token=answer["access_token"],
            device_id=answer["device_id"],
            password=password,
        )

    def _registration_mac(self, nonce: str, user: str, password: str, admin: bool) -> str:
        mac = hmac.new(self._shared_secret.encode(), digestmod=hashlib.sha1)
        for part in (nonce, user, password):
            mac.update(part.encode() + b"\x00")
        mac.update(b"admin" if admin else b"notadmin")
        return mac.hexdigest()

    def exempt_from_rate_limits(self, user_id: str) -> None:
        """Switch every per-user limiter off for one user (e.g. the human in a rate-limit test)."""
        admin = self._admin_user()
        url = (
            f"{self.base_url}/_synapse/admin/v1/users/{quote(user_id, safe='')}/override_ratelimit"
        )
        with httpx.Client(timeout=HTTP_TIMEOUT, trust_env=False) as http:
            response = http.post(
                url,
                json={"messages_per_second": 0, "burst_count": 0},
                headers={"Authorization": f"Bearer {admin.access_token}"},
            )
        _check(response, f"overriding the rate limit of {user_id}")

    def _admin_user(self) -> RegisteredUser:
        if self._admin is None:
            self._admin = self.register(f"harnessadmin{secrets.token_hex(4)}", admin=True)
        return self._admin


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code != 200:
        # The body is Synapse's error JSON; it never echoes the secret or the password.
        raise SynapseError(f"{what} failed: HTTP {response.status_code} {response.text[:300]}")
