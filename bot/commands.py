"""Commands declared with a decorator; parsing, lookup and usage are derived from the handler.

    @command("übernehmen", en="claim", help="tickets.cmd.claim", usage="tickets.usage.claim")
    async def claim(self, ctx: Context, number: int) -> None: ...

Argument types come from the signature: `str` is one word (or a "quoted phrase"), `int`
a whole number, `Rest` the remaining text, `UserId` a Matrix id; a default makes it optional.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from rapidfuzz import fuzz, process

from bot.messages import is_user_id, md_code

# Characters that change how text shows without being seen: zero-width spaces, direction
# marks, the bidi embeddings, overrides and isolates ("Trojan source") and the BOM. A title
# made of them looks empty, one with U+202E reads backwards. Zero-width joiners stay: emoji
# sequences need them.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def visible(text: str) -> str:
    """`text` without invisible formatting characters (see _INVISIBLE)."""
    return _INVISIBLE.sub("", text)


class _RestMarker:
    """Marks a str parameter that takes the rest of the line."""


class _UserMarker:
    """Marks a str parameter that must be a Matrix user id."""


Rest = Annotated[str, _RestMarker()]
UserId = Annotated[str, _UserMarker()]


@dataclass(frozen=True)
class IntRange:
    low: int
    high: int


MAX_INT = 2**31 - 1  # PostgreSQL's INTEGER
# The number of something a room keeps a list of (a ticket, an entered event): one range and
# one message for all of them.
Number = Annotated[int, IntRange(1, 999_999)]



@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]


class ArgumentError(Exception):
    """Bad arguments; `key`/`params` name a translated detail."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "str" | "int" | "rest" | "user" | "choice"
    optional: bool
    default: Any = None
    int_range: IntRange | None = None
    choices: tuple[str, ...] = ()


Handler = Callable[..., Awaitable[None]]


@dataclass
class CommandSpec:
    names: dict[str, str]  # language -> primary name ("übernehmen" / "claim")
    aliases: tuple[str, ...]
    help_key: str
    usage_key: str | None
    admin: bool
    func: Handler
    params: list[Param] = field(default_factory=list)
    plugin: str = ""
    hidden: bool = False

    def all_names(self) -> list[str]:
        return list(dict.fromkeys([*self.names.values(), *self.aliases]))

    def name_for(self, lang: str) -> str:
        return self.names.get(lang) or self.names["de"]

    @property
    def group(self) -> str:
        """The first word: `quelle` for `quelle add`."""
        return self.names["de"].split()[0]


def command(
    name: str,
    *,
    en: str | None = None,
    aliases: Iterable[str] = (),
    help: str,
    usage: str | None = None,
    admin: bool = False,
    hidden: bool = False,
) -> Callable[[Handler], Handler]:
    """Declare a command: German `name`, English `en`, extra `aliases`, help/usage i18n keys."""

    def decorate(func: Handler) -> Handler:
        names = {"de": name, "en": en or name}
        func.__lotse_command__ = CommandSpec(  # type: ignore[attr-defined]
            names=names,
            aliases=tuple(aliases),
            help_key=help,
            usage_key=usage,
            admin=admin,
            func=func,
            params=params_of(func),
            hidden=hidden,
        )
        return func

    return decorate


def params_of(func: Handler) -> list[Param]:
    """The parsable parameters of a handler: everything after (self, ctx)."""
    hints = get_type_hints(func, include_extras=True)
    signature = inspect.signature(func)
    result: list[Param] = []
    for parameter in list(signature.parameters.values())[2:]:
        hint = hints.get(parameter.name, str)
        optional = parameter.default is not inspect.Parameter.empty
        default = parameter.default if optional else None
        kind, int_range, choices = _kind_of(hint)
        result.append(Param(parameter.name, kind, optional, default, int_range, choices))
    for param in result[:-1]:
        if param.kind == "rest":
            raise TypeError(f"{func.__qualname__}: Rest must be the last parameter")
    return result


def _kind_of(hint: Any) -> tuple[str, IntRange | None, tuple[str, ...]]:
    int_range: IntRange | None = None
    choices: tuple[str, ...] = ()
    kind = "str"
    if get_origin(hint) is not Annotated:  # `Rest | None`: the Annotated sits inside the Optional
        inner = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(inner) == 1 and get_origin(inner[0]) is Annotated:
            hint = inner[0]
    if get_origin(hint) is Annotated:
        base, *extras = get_args(hint)
        for extra in extras:
            if isinstance(extra, _RestMarker):
                kind = "rest"
            elif isinstance(extra, _UserMarker):
                kind = "user"
            elif isinstance(extra, IntRange):
                int_range = extra
            elif isinstance(extra, Choice):
                kind, choices = "choice", extra.values
        hint = base
    args = [arg for arg in get_args(hint) if arg is not type(None)]
    if hint is int or (args and args[0] is int):
        kind = "int"
    return kind, int_range, choices


_TOKEN = re.compile(r'\s*(?:"([^"]*)"|“([^”]*)”|„([^“”]*)[“”]|(\S+))')


def unquoted(text: str) -> str:
    """A `Rest` argument as one phrase: white space folded, quotes around all of it removed
    (the quotes a `str` argument takes, so "X Y" reads alike as either)."""
    text = " ".join(text.split())
    match = _TOKEN.fullmatch(text)
    if match is not None and match.group(4) is None:
        return next(group for group in match.groups() if group is not None).strip()
    return text


def parse_arguments(params: list[Param], text: str) -> dict[str, Any]:
    """Bind the text after the command name to the handler's parameters."""
    values: dict[str, Any] = {}
    rest = text.strip()
    for param in params:
        if param.kind == "rest":
            if not rest and not param.optional:
                raise ArgumentError("core.arg.missing", name=param.name)
            values[param.name] = rest if rest else param.default
            rest = ""
            break
        match = _TOKEN.match(rest) if rest else None
        if match is None:
            if not param.optional:
                raise ArgumentError("core.arg.missing", name=param.name)
            values[param.name] = param.default
            continue
        token = next(group for group in match.groups() if group is not None)
        rest = rest[match.end() :].strip()
        values[param.name] = _convert(param, token)
    if rest:
        raise ArgumentError("core.arg.too_many", value=md_code(rest[:80]))
    return values


def _convert(param: Param, token: str) -> Any:
    if param.kind == "int":
        if not re.fullmatch(r"#?-?[0-9]+", token):
            raise ArgumentError("core.arg.not_int", value=md_code(token[:40]))
        negative = "-" in token  # "-1" is a number, out of range like "0"
        digits = token.lstrip("#-").lstrip("0") or "0"
        # Any number must fit the database's integer columns; bounds may narrow that.
        bounds = param.int_range or IntRange(0, MAX_INT)
        too_long = len(digits) > 12
        value = 0 if too_long else (-1 if negative else 1) * int(digits)
        if too_long or not bounds.low <= value <= bounds.high:
            raise ArgumentError(
                "core.arg.int_range",
                value=md_code(token if len(token) <= 20 else token[:19] + "…"),
                low=bounds.low,
                high=bounds.high,
            )
        return value
    if param.kind == "user" and not is_user_id(token):
        raise ArgumentError("core.arg.user", value=md_code(token[:80]))
    if param.kind == "choice":
        folded = fold(token)
        for choice in param.choices:
            if fold(choice) == folded:
                return choice
        raise ArgumentError(
            "core.arg.choice", value=md_code(token[:40]), choices=", ".join(param.choices)
        )
    return token


def fold(word: str) -> str:
    """Case- and umlaut-insensitive form, so `!uebernehmen` finds `!übernehmen`."""
    word = word.casefold()
    for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        word = word.replace(src, dst)
    return unicodedata.normalize("NFKC", word)


@dataclass(frozen=True)
class ParsedCommand:
    name: str  # as typed
    args: str


def split_command(body: str, prefix: str) -> ParsedCommand | None:
    """`!kommentar 3 text` -> ParsedCommand("kommentar", "3 text"); None if no command."""
    text = body.strip()
    if not text.startswith(prefix) or len(text) == len(prefix):
        return None
    text = text[len(prefix) :]
    if text[0].isspace():
        return None
    parts = text.split(None, 1)  # any whitespace ends the name: space, tab, line break
    return ParsedCommand(parts[0], parts[1] if len(parts) > 1 else "")


@dataclass
class Lookup:
    spec: CommandSpec | None
    args: str
    group: list[CommandSpec] = field(default_factory=list)  # `!quelle` alone: its subcommands


class CommandRegistry:
    def __init__(self) -> None:
        self._by_name: dict[str, CommandSpec] = {}
        self.specs: list[CommandSpec] = []

    def add(self, spec: CommandSpec) -> None:
        for name in spec.all_names():
            key = " ".join(fold(part) for part in name.split())
            other = self._by_name.get(key)
            if other is not None and other is not spec:
                raise ValueError(
                    f"command name {name!r} used twice ({other.plugin}, {spec.plugin})"
                )
            self._by_name[key] = spec
        self.specs.append(spec)

    def lookup(self, parsed: ParsedCommand) -> Lookup:
        first = fold(parsed.name)
        second, _, after_second = parsed.args.partition(" ")
        if second:
            spec = self._by_name.get(f"{first} {fold(second)}")
            if spec is not None:
                return Lookup(spec, after_second.strip())
        spec = self._by_name.get(first)
        if spec is not None:
            return Lookup(spec, parsed.args)
        group = self.group(first)
        return Lookup(None, parsed.args, group)

    def group(self, folded_first_word: str) -> list[CommandSpec]:
        seen: list[CommandSpec] = []
        for key, spec in self._by_name.items():
            if " " in key and key.split()[0] == folded_first_word and spec not in seen:
                seen.append(spec)
        return seen

    def find(self, name: str) -> CommandSpec | None:
        return self._by_name.get(" ".join(fold(part) for part in name.split()))

    def suggest(self, typed: str, lang: str) -> str | None:
        """The closest known command name (first word, in `lang`) if it looks like a typo."""
        displays: dict[str, str] = {}
        for spec in self.specs:
            preferred = spec.name_for(lang).split()[0]
            displays.setdefault(fold(preferred), preferred)
            for name in spec.all_names():
                displays.setdefault(fold(name.split()[0]), preferred)
        best = process.extractOne(fold(typed), list(displays), scorer=fuzz.ratio, score_cutoff=60)
        return displays[best[0]] if best else None
