"""`lotse`: run, shell, db, plus the sub-commands plugins add (kb, events, digest, tickets)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

from bot.config import ConfigError, Settings, load_settings
from bot.plugin import Plugin, Services, discover_plugins, installed_migrations

log = logging.getLogger("lotse")


def package_version() -> str:
    try:
        return version("lotse")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser(plugin_classes: Sequence[type[Plugin]]) -> argparse.ArgumentParser:
    # Accepted before and after the sub-command. Only the top level has a default: a default
    # on a sub-parser would overwrite the top-level value (`lotse --env-file x db upgrade`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--env-file", default=argparse.SUPPRESS, help="settings file (default: .env, if present)"
    )
    parser = argparse.ArgumentParser(
        prog="lotse",
        description="Lotse: a Matrix bot for the managers of business networks.",
    )
    parser.add_argument(
        "--env-file", default=".env", help="settings file (default: .env, if present)"
    )
    parser.add_argument("--version", action="version", version=f"lotse {package_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", parents=[common], help="connect to Matrix and serve")
    run.set_defaults(handler=cmd_run)

    shell = sub.add_parser(
        "shell", parents=[common], help="talk to the bot on stdin/stdout (one message per line)"
    )
    shell.add_argument(
        "--user",
        default="@ich:localhost",
        help="the Matrix id you speak as (an admin, unless --member)",
    )
    shell.add_argument(
        "--member",
        action="store_true",
        help="speak as an ordinary member (to try what non-admins may do)",
    )
    shell.add_argument(
        "--demo", action="store_true", help="a throwaway database filled with demo data"
    )
    shell.set_defaults(handler=cmd_shell)

    db = sub.add_parser("db", parents=[common], help="database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser("upgrade", parents=[common], help="apply all migrations")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    revision = db_sub.add_parser(
        "revision", parents=[common], help="(developers) generate a plugin's next migration"
    )
    revision.add_argument("--plugin", required=True, help="plugin name, e.g. tickets")
    revision.add_argument("-m", "--message", required=True)
    revision.set_defaults(handler=cmd_db_revision)

    # Plugins add their own sub-commands; a placeholder Services is enough to declare them.
    for cls in plugin_classes:
        cls.add_cli_parsers(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    plugin_classes = discover_plugins([])
    parser = build_parser(plugin_classes)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        settings = load_settings(args.env_file)
    except ConfigError as exc:
        print(f"lotse: configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("apscheduler", "alembic", "httpx", "nio", "peewee"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(asyncio.run(args.handler(settings, args)) or 0)
    except ConfigError as exc:
        print(f"lotse: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `lotse digest --json | head`: the reader is gone, so are we
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        return 141


async def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import Bot
    from bot.store import Store
    from bot.transport.matrix import MatrixTransport

    settings.require_matrix()
    settings.check_data_dir()  # credentials and crypto keys live there
    store = Store(settings.db_url)
    transport = MatrixTransport(settings, store)
    bot = Bot(settings, transport, store)
    stop_on_signals(transport.stop)
    await bot.run()
    return 0


async def cmd_shell(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import Bot
    from bot.transport.shell import SHELL_ROOM, ShellTransport

    overrides: dict[str, object] = {}
    if not args.member:
        overrides["admins"] = [*settings.admins, args.user]
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if args.demo:
        tmp = tempfile.TemporaryDirectory(prefix="lotse-demo-")
        overrides["database_url"] = f"sqlite:///{Path(tmp.name) / 'demo.db'}"
    # The local operator is trusted: in the shell they are an admin (unless --member).
    settings = settings.model_copy(update=overrides)
    transport = ShellTransport(args.user)
    bot = Bot(settings, transport)
    transport.deferred_note = bot.translator(settings.language)("core.shell.deferred")
    try:
        await bot.setup()
        if args.demo:
            for plugin in bot.plugins:
                await plugin.demo(SHELL_ROOM)
        if transport.interactive:
            print(bot.translator(settings.language)("core.shell.welcome", user=args.user))
        await bot.run(with_scheduler=False)
    finally:
        bot.store.dispose()
        if tmp is not None:
            tmp.cleanup()
    return 0


async def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    from bot.store import Store

    if settings.database_url is None:
        settings.check_data_dir()  # the default SQLite file lives there
    store = Store(settings.db_url, installed_migrations())
    store.upgrade()
    print("database is up to date")
    return 0


async def cmd_db_revision(settings: Settings, args: argparse.Namespace) -> int:
    """Autogenerate the next revision of one plugin's branch against a scratch SQLite."""
    from alembic import command as alembic

    from bot.store import Store

    classes = {c.name: c for c in discover_plugins([])}
    cls = classes.get(args.plugin)
    if cls is None or cls.migrations is None:
        print(f"lotse: plugin {args.plugin!r} not found or has no migrations dir", file=sys.stderr)
        return 2
    cls.migrations.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/scratch.db", [cls.migrations])
        store.upgrade()
        cfg = store.alembic_config()
        cfg.attributes["table_prefix"] = f"{cls.name}_"
        existing = list(cls.migrations.glob("*.py"))
        number = len(existing) + 1
        alembic.revision(
            cfg,
            message=args.message,
            autogenerate=True,
            rev_id=f"{cls.name}_{number:04d}",
            head="base" if not existing else f"{cls.name}@head",
            branch_label=cls.name if not existing else None,
            version_path=str(cls.migrations),
            depends_on="core_0001" if not existing else None,
        )
        store.dispose()
    return 0


P = TypeVar("P", bound=Plugin)


async def cli_plugin(settings: Settings, cls: type[P]) -> P:
    """The running instance of plugin `cls` for a CLI command; a clear error if it is off."""
    services = await plugin_services(settings)
    plugin = services.plugin(cls.name)
    if not isinstance(plugin, cls):
        raise ConfigError(f"LOTSE_PLUGINS: the {cls.name} plugin is not enabled")
    return plugin


async def plugin_services(settings: Settings) -> Services:
    """A migrated store and started plugins, without a transport: for plugin CLI commands."""
    from bot.app import Bot
    from bot.transport.memory import MemoryTransport

    bot = Bot(settings, MemoryTransport(rooms=settings.digest_rooms))
    await bot.setup()
    return bot.services


def stop_on_signals(stop: object) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(stop()))  # type: ignore[operator]
