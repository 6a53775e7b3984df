"""The events plugin's own settings (read like the core's: environment over the env file)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EventsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOTSE_", extra="ignore")

    feed_timeout: float = Field(default=20.0, ge=1, le=300)  # seconds per feed, whole exchange
    feed_max_bytes: int = Field(default=5_000_000, ge=10_000, le=100_000_000)
    feed_concurrency: int = Field(default=8, ge=1, le=64)
