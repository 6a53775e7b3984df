"""Outgoing messages: authored as Markdown, sent as plain text + HTML.

User-supplied text enters Markdown only through `md_escape`, `md_code` or `md_link`, and
markdown-it runs with raw HTML disabled, so a user string can neither inject HTML nor
formatting. Mentions are matrix.to links; the renderer collects them for `m.mentions`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

MATRIX_TO = "https://matrix.to/#/"
# Matrix events may have 65,536 bytes; this leaves room for the envelope, relations, mentions.
MAX_MESSAGE_BYTES = 56_000
# Megolm turns n bytes of content into about 1.34 n (AES-CBC padding, MAC, signature, base64):
# 44,000 become ~59,500 bytes of ciphertext, leaving ~6 KB for the event's other fields.
MAX_ENCRYPTED_MESSAGE_BYTES = 44_000
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&\"'=:])")
_USER_ID = re.compile(r"@[^\s:]+:\S+")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
# A link title that marks a pill as quiet: shown as a pill, left out of m.mentions, then dropped.
_QUIET = "lotse:quiet"


def md_escape(text: str) -> str:
    """Make arbitrary text literal in Markdown (every ASCII punctuation may be escaped)."""
    return _PUNCTUATION.sub(r"\\\1", text)


def md_code(text: str) -> str:
    """A code span that survives any backticks inside `text`."""
    text = _LINE_BREAKS.sub(" ", text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_link(text: str, url: str) -> str:
    """A link to an http(s) URL; anything else is shown as plain text."""
    if not url.lower().startswith(("http://", "https://")):
        return md_escape(text)
    safe_url = quote(url, safe=":/?#[]@!$&'*+,;=%~-._")
    safe_url = safe_url.replace("(", "%28").replace(")", "%29")
    return f"[{md_escape(text)}]({safe_url})"


def is_user_id(value: str) -> bool:
    return len(value) <= 255 and _USER_ID.fullmatch(value) is not None


def mention(user_id: str, display: str | None = None, *, notify: bool = True) -> str:
    """A pill for `user_id`. With notify, the user is put into m.mentions and so pinged; a
    directory listing shows people without notifying them (m.mentions is always sent, so
    clients do not fall back to pinging on the name in the body)."""
    if not is_user_id(user_id):
        return md_escape(display or user_id)
    url = f"{MATRIX_TO}{quote(user_id, safe='@:')}"
    title = "" if notify else f' "{_QUIET}"'
    return f"[{md_escape(display or user_id)}]({url}{title})"


@dataclass(frozen=True)
class Message:
    plain: str
    html: str
    mentions: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def text(cls, text: str) -> Message:
        """A message that is the literal text, nothing interpreted."""
        return render(md_escape(text))


class _Renderer:
    """Markdown-it tokens -> (html, plain, mentions)."""

    def __init__(self) -> None:
        self.md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})

    def render(self, markdown: str) -> Message:
        tokens = self.md.parse(markdown)
        mentions: set[str] = set()
        plain = self._plain(tokens, mentions).strip()  # also drops the quiet markers
        html = self.md.renderer.render(tokens, self.md.options, {}).strip()
        return Message(plain=plain, html=html, mentions=frozenset(mentions))

    def _plain(self, tokens: Sequence[Token], mentions: set[str]) -> str:
        out: list[str] = []
        list_stack: list[list[int]] = []  # [next number or -1 for bullets]
        for tok in tokens:
            kind = tok.type
            if kind == "bullet_list_open":
                list_stack.append([-1])
            elif kind == "ordered_list_open":
                list_stack.append([int(tok.attrGet("start") or 1)])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_stack.pop()
                if not list_stack:
                    out.append("\n")
            elif kind == "list_item_open":
                indent = "  " * (len(list_stack) - 1)
                counter = list_stack[-1]
                if counter[0] < 0:
                    out.append(f"{indent}• ")
                else:
                    out.append(f"{indent}{counter[0]}. ")
                    counter[0] += 1
            elif kind == "paragraph_close":
                out.append("\n" if list_stack else "\n\n")
            elif kind == "heading_close":
                out.append("\n\n")
            elif kind in ("fence", "code_block"):
                out.append(tok.content + "\n")
            elif kind == "hr":
                out.append("———\n\n")
            elif kind == "inline":
                indent = "  " * len(list_stack)
                out.append(self._inline(tok.children or [], mentions, indent))
        return re.sub(r"\n{3,}", "\n\n", "".join(out))

    def _inline(self, children: Sequence[Token], mentions: set[str], indent: str = "") -> str:
        out: list[str] = []
        link_stack: list[tuple[str, int]] = []
        for tok in children:
            if tok.type in ("text", "code_inline"):
                out.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                out.append("\n" + indent)  # continuation lines stay inside their list item
            elif tok.type == "link_open":
                href = str(tok.attrGet("href") or "")
                if tok.attrGet("title") == _QUIET:
                    del tok.attrs["title"]
                    href = ""  # a quiet pill: no mention, and its label needs no URL after it
                link_stack.append((href, len(out)))
            elif tok.type == "link_close" and link_stack:
                href, start = link_stack.pop()
                label = "".join(out[start:])
                if href.startswith(MATRIX_TO + "@"):
                    mentions.add(_unquote_user(href[len(MATRIX_TO) :]))
                elif href and href != label:
                    out.append(f" ({href})")
        return "".join(out)


def _unquote_user(value: str) -> str:
    return unquote(value)


@cache
def _renderer() -> _Renderer:
    # A parser is immutable configuration, so one per process is safe to share.
    return _Renderer()


def render(markdown: str) -> Message:
    """Markdown (with user strings already escaped) -> Message."""
    return _renderer().render(markdown)


def wire_size(message: Message) -> int:
    # As nio will encode it (JSON, non-ASCII escaped): the homeserver's limit is on that.
    mentions = sum(len(json.dumps(user_id)) + 1 for user_id in message.mentions)
    return len(json.dumps(message.plain)) + len(json.dumps(message.html)) + mentions


def render_bounded(markdown: str, note: str, limit: int = MAX_MESSAGE_BYTES) -> Message:
    """Like render(), but a message too large for one Matrix event keeps as many whole lines as
    fit and ends with `note` (Markdown) instead of being refused by the homeserver."""
    message = render(markdown)
    if wire_size(message) <= limit:
        return message
    lines = markdown.split("\n")
    low, high = 0, len(lines)  # the largest prefix that fits lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        if wire_size(render("\n".join(lines[:middle]) + "\n\n" + note)) <= limit:
            low = middle
        else:
            high = middle
    return render("\n".join(lines[:low]) + "\n\n" + note)
