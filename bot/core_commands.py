"""The core's own commands: help, ping, room language. Part of the core, so it may see the Bot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from bot.commands import Choice, CommandSpec, Rest, command, fold
from bot.context import Context
from bot.messages import md_code
from bot.plugin import Plugin

if TYPE_CHECKING:
    from bot.app import Bot


class CorePlugin(Plugin):
    name = "core"
    title = "core.plugin"

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot.services)
        self.bot = bot

    @command("hilfe", en="help", aliases=("h",), help="core.cmd.help", usage="core.usage.help")
    async def help(self, ctx: Context, name: Rest | None = None) -> None:
        if name is None:
            ctx.reply(self._overview(ctx))
            return
        name = name.removeprefix(ctx.prefix)
        spec = self.bot.registry.find(name)
        group = [] if spec else self.bot.registry.group(fold(name))
        if spec is None and not group:
            ctx.fail("core.help.unknown", name=md_code(ctx.prefix + name[:40]))
        specs = [spec] if spec else group
        ctx.reply("\n\n".join(self._details(ctx, s) for s in specs))

    @command("ping", help="core.cmd.ping")
    async def ping(self, ctx: Context) -> None:
        ctx.reply(ctx.t("core.pong"))

    @command("sprache", en="language", help="core.cmd.language", usage="core.usage.language")
    async def language(
        self, ctx: Context, lang: Annotated[str, Choice(("de", "en"))] | None = None
    ) -> None:
        if lang is None:
            ctx.reply(ctx.t("core.language.current", lang=ctx.language))
            return
        self.bot.set_language(ctx.session, ctx.room_id, lang)
        ctx.reply(ctx.translator_for(lang)("core.language.set", lang=lang))

    def _overview(self, ctx: Context) -> str:
        lines = [ctx.t("core.help.title")]
        for plugin in self.bot.plugins:
            specs = [
                spec
                for spec in self.bot.registry.specs
                if spec.plugin == plugin.name
                and not spec.hidden
                and (ctx.is_admin or not spec.admin)
            ]
            if not specs:
                continue
            lines += ["", f"**{ctx.t(plugin.title)}**", ""]
            for spec in specs:
                name = md_code(ctx.prefix + spec.name_for(ctx.language))
                lines.append(f"- {name} – {ctx.t(spec.help_key)}")
        lines += ["", ctx.t("core.help.footer", prefix=ctx.prefix)]
        return "\n".join(lines)

    def _details(self, ctx: Context, spec: CommandSpec) -> str:
        primary = spec.name_for(ctx.language)
        lines = [
            f"**{md_code(ctx.prefix + primary)}** – {ctx.t(spec.help_key)}",
            ctx.t("core.help.usage", usage=md_code(self.bot.usage(spec, ctx.language))),
        ]
        others = [md_code(ctx.prefix + n) for n in spec.all_names() if n != primary]
        if others:
            lines.append(ctx.t("core.help.aliases", aliases=", ".join(others)))
        if spec.admin:
            lines.append(ctx.t("core.help.admin_only"))
        return "  \n".join(lines)
