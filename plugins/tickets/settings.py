"""The tickets plugin's own settings (read like the core's: environment over the env file)."""

from __future__ import annotations

from enum import StrEnum

from pydantic_settings import BaseSettings, SettingsConfigDict


class NotifyContacts(StrEnum):
    """Whose contacts a new request pings among the suggested networks."""

    TOP = "top"  # the best match's: the colleague the request is passed on to
    ALL = "all"  # every suggested network's
    NONE = "none"  # nobody; contacts are still shown as pills


class TicketsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOTSE_", extra="ignore")

    ticket_notify_contacts: NotifyContacts = NotifyContacts.TOP
