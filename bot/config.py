"""Typed settings from the environment and a .env file.

python-dotenv reads the file (so `--env-file` can point anywhere); pydantic-settings validates.
A bad value becomes one `ConfigError` line naming the key, never a traceback.
"""

from __future__ import annotations

import fnmatch
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX_KEYS = {
    # field name -> environment variable, for the few that are not LOTSE_*
    "matrix_homeserver": "MATRIX_HOMESERVER",
    "matrix_user_id": "MATRIX_USER_ID",
    "matrix_password": "MATRIX_PASSWORD",
    "matrix_access_token": "MATRIX_ACCESS_TOKEN",
    "matrix_device_name": "MATRIX_DEVICE_NAME",
}


class ConfigError(Exception):
    """A configuration problem, phrased for an operator in one line."""


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return value


CommaList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    # env_ignore_empty: `MATRIX_ACCESS_TOKEN=` (as in config.example.env, or docker's --env-file)
    # means "not set", not "set to the empty string".
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    matrix_homeserver: str | None = Field(default=None, alias="MATRIX_HOMESERVER")
    matrix_user_id: str | None = Field(default=None, alias="MATRIX_USER_ID")
    matrix_password: SecretStr | None = Field(default=None, alias="MATRIX_PASSWORD")
    matrix_access_token: SecretStr | None = Field(default=None, alias="MATRIX_ACCESS_TOKEN")
    matrix_device_name: str = Field(default="Lotse", alias="MATRIX_DEVICE_NAME")

    data_dir: Path = Path("./data")
    database_url: str | None = None
    admins: CommaList = []
    allowed_users: CommaList = []
    language: Literal["de", "en"] = "de"
    timezone: str = "Europe/Berlin"
    command_prefix: str = "!"
    max_command_length: int = Field(default=4000, ge=16, le=65536)
    plugins: CommaList = []
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    digest_cron: str = "0 8 * * mon"
    digest_rooms: CommaList = []
    ticket_stale_days: int = Field(default=14, ge=1, le=365)
    feed_refresh_minutes: int = Field(default=60, ge=5, le=24 * 60)
    encryption: bool = True

    @field_validator(
        "matrix_homeserver",
        "matrix_user_id",
        "matrix_password",
        "matrix_access_token",
        "database_url",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # Also for values given directly (overrides, tests): blank is the same as absent.
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("admins", "allowed_users", "plugins", "digest_rooms", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("feed_refresh_minutes")
    @classmethod
    def _even_interval(cls, value: int) -> int:
        # Cron can only space runs evenly if the interval divides an hour or a day.
        if 60 % value and (value % 60 or 1440 % value):
            raise ValueError(
                "must divide an hour (5, 10, 15, 20, 30) or a day in whole hours "
                "(60, 120, 180, 240, 360, 480, 720, 1440)"
            )
        return value

    @field_validator("command_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not value or len(value) > 3 or any(ch.isspace() for ch in value):
            raise ValueError("must be 1 to 3 non-space characters")
        return value

    @field_validator("digest_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        from bot.scheduler import cron_trigger  # here: the scheduler module imports plugins

        try:
            cron_trigger(value, ZoneInfo("UTC"))
        except ValueError as exc:
            raise ValueError(f"not a crontab line (minute hour day month weekday): {exc}") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in ("sqlite", "postgresql", "postgresql+psycopg"):
            raise ValueError(
                "must be sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DB"
                + (f", not {scheme}://" if scheme else "")
            )
        return value

    @field_validator("matrix_homeserver")
    @classmethod
    def _homeserver(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    # Where these settings were read from, so plugins read their own from the same file.
    env_file: Path | None = Field(default=None, exclude=True)

    def check_data_dir(self) -> None:
        """Create LOTSE_DATA_DIR if needed and make sure the bot can write there."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.data_dir):
                pass
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            message = f"LOTSE_DATA_DIR: cannot write to {self.data_dir}: {reason}"
            raise ConfigError(message) from None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'lotse.db').resolve()}"

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.admins

    def is_allowed(self, user_id: str) -> bool:
        """Empty LOTSE_ALLOWED_USERS allows nobody to invite but everybody in a room to talk."""
        return any(fnmatch.fnmatchcase(user_id, pattern) for pattern in self.allowed_users)

    def require_matrix(self) -> None:
        missing = [
            key
            for key, value in (
                ("MATRIX_HOMESERVER", self.matrix_homeserver),
                ("MATRIX_USER_ID", self.matrix_user_id),
            )
            if not value
        ]
        if missing:
            raise ConfigError(f"{missing[0]} is not set (see config.example.env)")
        if not self.matrix_password and not self.matrix_access_token:
            raise ConfigError("MATRIX_ACCESS_TOKEN or MATRIX_PASSWORD must be set")


def _env_name(field: str) -> str:
    if field in ENV_PREFIX_KEYS.values():
        return field
    return ENV_PREFIX_KEYS.get(field, f"LOTSE_{field.upper()}")


def load_settings(env_file: str | Path | None = ".env", **overrides: object) -> Settings:
    """Settings from the environment over the env file (python-dotenv underneath)."""
    if env_file is not None and not Path(env_file).exists():
        if str(env_file) != ".env":
            raise ConfigError(f"env file {str(env_file)!r} not found")
        env_file = None
    settings = load_model(Settings, env_file, **overrides)
    settings.env_file = Path(env_file) if env_file is not None else None
    return settings


M = TypeVar("M", bound=BaseSettings)


def load_model(model: type[M], env_file: str | Path | None, **overrides: object) -> M:
    """Any settings model (the core's or a plugin's) from env + file; errors name the key."""
    try:
        # Empty values count as unset for plugins' models too.
        options: dict[str, Any] = {"_env_file": env_file, "_env_ignore_empty": True, **overrides}
        return model(**options)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        message = str(error["msg"]).removeprefix("Value error, ")
        prefix = str(model.model_config.get("env_prefix", ""))
        name = _env_name(field) if model is Settings else f"{prefix}{field}".upper()
        raise ConfigError(f"{name}: {message}") from None
