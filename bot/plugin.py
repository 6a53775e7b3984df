"""The plugin contract: a class with decorated methods, discovered by entry point.

A plugin contributes commands (`@command`), plain-text listeners (`@listener`), reaction
handlers (`@on_reaction`), scheduled jobs (`@job`), its message catalogue, its Alembic
migrations and its own CLI sub-commands. It gets `Services` and never sees the transport.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic_settings import BaseSettings

from bot.commands import CommandSpec
from bot.config import load_model
from bot.i18n import Catalogue, Catalogues
from bot.store import Store

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "lotse.plugins"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class JobSpec:
    id: str  # "<plugin>.<name>", the key of the run ledger
    cron: Callable[[Settings], str]
    func: Callable[..., Awaitable[None]]


def job(name: str, *, cron: str | Callable[[Settings], str]) -> Callable[[F], F]:
    """Declare a scheduled job; `cron` is a crontab line or reads one from the settings."""

    def decorate(func: F) -> F:
        cron_of = cron if callable(cron) else (lambda _settings, line=cron: line)
        func.__lotse_job__ = (name, cron_of)  # type: ignore[attr-defined]
        return func

    return decorate


def listener(func: F) -> F:
    """A handler for plain (non-command) messages: `async (ctx, text) -> bool handled`."""
    func.__lotse_listener__ = True  # type: ignore[attr-defined]
    return func


def on_reaction(func: F) -> F:
    """A handler for reactions to messages this plugin tagged: `async (ctx, key, tag)`."""
    func.__lotse_reaction__ = True  # type: ignore[attr-defined]
    return func


@dataclass
class Services:
    """What the bot offers a plugin: settings, store, catalogues, the clock, other plugins."""

    settings: Settings
    store: Store
    catalogues: Catalogues
    clock: Callable[[], datetime]
    plugins: dict[str, Plugin]

    def plugin(self, name: str) -> Plugin | None:
        return self.plugins.get(name)


class Plugin:
    name: ClassVar[str]
    title: ClassVar[str]  # i18n key of the help section
    catalogue: ClassVar[Catalogue] = {}
    migrations: ClassVar[Path | None] = None  # an Alembic versions directory
    # The plugin's own settings (a pydantic-settings model, env prefix LOTSE_), checked at start.
    settings_model: ClassVar[type[BaseSettings] | None] = None

    def __init__(self, services: Services) -> None:
        self.services = services
        self.config: BaseSettings | None = None
        if self.settings_model is not None:
            self.config = load_model(self.settings_model, services.settings.env_file)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def store(self) -> Store:
        return self.services.store

    async def start(self) -> None:
        """After migrations, before the first event: warm caches and the like."""

    async def stop(self) -> None:
        """On shutdown."""

    @classmethod
    def add_cli_parsers(
        cls,
        subparsers: argparse._SubParsersAction,
        common: argparse.ArgumentParser,
    ) -> None:
        """Add `lotse <something>` sub-commands with `handler=async (settings, args) -> int`.

        Use `bot.cli.plugin_services(settings)` in the handler for a migrated store.
        """

    async def demo(self, room_id: str) -> None:
        """Fill the (throwaway) store with demo data for `lotse shell --demo` in `room_id`."""

    # -- what the decorators declared ---------------------------------------------------------

    def commands(self) -> list[CommandSpec]:
        specs = []
        for attr in _decorated(type(self), "__lotse_command__"):
            spec: CommandSpec = getattr(type(self), attr).__lotse_command__
            bound = CommandSpec(**{**spec.__dict__, "func": getattr(self, attr)})
            bound.plugin = self.name
            specs.append(bound)
        return specs

    def jobs(self) -> list[JobSpec]:
        result = []
        for attr in _decorated(type(self), "__lotse_job__"):
            name, cron_of = getattr(type(self), attr).__lotse_job__
            result.append(JobSpec(f"{self.name}.{name}", cron_of, getattr(self, attr)))
        return result

    def listeners(self) -> list[Callable[..., Awaitable[bool]]]:
        return [getattr(self, a) for a in _decorated(type(self), "__lotse_listener__")]

    def reaction_handlers(self) -> list[Callable[..., Awaitable[None]]]:
        return [getattr(self, a) for a in _decorated(type(self), "__lotse_reaction__")]


def _decorated(cls: type, marker: str) -> list[str]:
    # Definition order, so help lists commands the way the plugin author wrote them.
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for attr, value in vars(klass).items():
            if hasattr(value, marker) and attr not in names:
                names.append(attr)
    return names


def discover_plugins(enabled: list[str]) -> list[type[Plugin]]:
    """Plugin classes from the `lotse.plugins` entry points, filtered by LOTSE_PLUGINS."""
    found: dict[str, type[Plugin]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if enabled and ep.name not in enabled:
            continue
        try:
            cls = ep.load()
        except Exception:
            log.exception("plugin %s could not be loaded; it stays off", ep.name)
            continue
        found[ep.name] = cls
    unknown = set(enabled) - set(found)
    if unknown:
        log.warning("LOTSE_PLUGINS names unknown plugins: %s", ", ".join(sorted(unknown)))
    order = ["directory", "tickets", "events"]  # dependencies first: tickets use the directory
    return sorted(found.values(), key=lambda c: order.index(c.name) if c.name in order else 99)


def installed_migrations(extra: Iterable[type[Plugin]] = ()) -> list[Path]:
    """The migrations of every installed plugin, enabled or not (plus those of `extra`).

    Alembic must find every revision the database has seen: a plugin switched off by
    LOTSE_PLUGINS still has its revision in alembic_version. Its tables stay, unused.
    """
    dirs: list[Path] = []
    for cls in [*discover_plugins([]), *extra]:
        if cls.migrations is not None and cls.migrations not in dirs:
            dirs.append(cls.migrations)
    return dirs
