"""The knowledge base as a YAML file: load with full validation, dump in the same format.

The file is edited by hand by network managers, so loading is strict and helpful: the YAML
is *composed* (not constructed) so every node keeps its line; the whole tree is checked and
all problems are reported together, each with its line, a message key plus parameters for
translation, and an English fallback text. Nothing is returned unless the file is valid.

Scalars are taken as written: `phone: 0361123456` stays that text (YAML would make it an
octal number), `short: yes` stays "yes". Anchors and aliases are refused: a KB has no use for
them and they are the door for "billion laughs" files.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from plugins.directory.kb import Contact, KnowledgeBase, Network
from plugins.directory.text import fold

# A state's directory at its largest: 10,000 networks with descriptions and contacts are
# some 9 MB of YAML (the benchmark's KB) and load in seconds.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_NETWORKS = 10_000
MAX_TOPICS = 200  # per network, for topics and for offers each
MAX_CONTACTS = 50  # per network
MAX_CONTACT_TOPICS = 100
MAX_SYNONYM_GROUPS = 2000
MAX_SYNONYM_GROUP_SIZE = 50
MAX_ERRORS = 100  # a broken file should produce a readable answer, not ten thousand lines

# Text limits; the names and the database columns (models.py) agree on these.
LIMITS: Mapping[str, int] = {
    "id": 64,
    "name": 300,
    "short": 100,
    "url": 500,
    "description": 5000,
    "topic": 200,
    "offer": 200,
    "contact.name": 200,
    "role": 200,
    "matrix": 255,
    "email": 254,
    "phone": 50,
    "synonym": 100,
}

NETWORK_KEYS = ("id", "name", "short", "url", "description", "topics", "offers", "contacts")
CONTACT_KEYS = ("name", "role", "matrix", "email", "phone", "topics")
TOP_KEYS = ("synonyms", "networks")

_ID = re.compile(r"[a-z0-9-]+")
# Localpart: printable ASCII without ':' (historical ids allow more than today's a-z0-9._=-/);
# server: host name, IPv4 or [IPv6], optional port.
_MATRIX = re.compile(
    r"@[!-9;-~]+:(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_PHONE = re.compile(r"\+?[0-9 ()/.\-]+")

_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_NULL = "tag:yaml.org,2002:null"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: 8x faster

# English fallback texts; the bot's catalogue translates the keys with the same params.
MESSAGES: Mapping[str, str] = {
    "directory.kb.too_large": "the file has {size} bytes, at most {limit} are allowed",
    "directory.kb.yaml_syntax": "not valid YAML: {problem}",
    "directory.kb.empty_file": "the file is empty (or holds only comments); it needs at least "
    "'networks:'",
    "directory.kb.yaml.unexpected_end": "the file ends in the middle of an entry (a list "
    "[ … ] or {{ … }} not closed?)",
    "directory.kb.yaml.unclosed_list": "a list opened here with [ is not closed with ], or "
    "its items lack a comma between them",
    "directory.kb.yaml.unclosed_mapping": "an entry opened here with {{ is not closed with }}, "
    "or its fields lack a comma between them",
    "directory.kb.yaml.unclosed_quote": "a text opened here with a quotation mark is not closed",
    "directory.kb.yaml.tab": "a tab indents this line; YAML is indented with spaces only",
    "directory.kb.yaml.bad_character": "a value cannot begin with {char}; put the value in "
    "quotation marks",
    "directory.kb.yaml.colon": "a colon followed by a space stands in a value here; put a text "
    "with ': ' in quotation marks",
    "directory.kb.yaml.missing_colon": "the colon after a key is missing here (key: value)",
    "directory.kb.yaml.indentation": "the indentation is wrong here: entries of one level "
    "begin in the same column, list items with '- '",
    "directory.kb.yaml.missing_value": "a value is missing here (two commas in a row?)",
    "directory.kb.yaml.escape": "unknown escape sequence with \\ in double quotation marks; "
    "use single quotation marks for a text with \\",
    "directory.kb.yaml.documents": "the file holds several YAML documents (---); one is allowed",
    "directory.kb.yaml.control_character": "the file contains the control character {char}, "
    "which YAML does not allow",
    "directory.kb.alias": "{path}: anchors and aliases (& and *) are not allowed",
    "directory.kb.duplicate_key": "{path}: key '{key}' appears twice",
    "directory.kb.expected_mapping": "{path}: expected entries of the form 'key: value'",
    "directory.kb.expected_list": "{path}: expected a list",
    "directory.kb.expected_text": "{path}: expected a text",
    "directory.kb.unknown_key": "{path}: unknown key '{key}' (allowed: {allowed})",
    "directory.kb.unknown_key_suggestion": "{path}: unknown key '{key}' – did you mean "
    "'{suggestion}'?",
    "directory.kb.missing_field": "{path}: required field '{field}' is missing",
    "directory.kb.empty_value": "{path}: '{field}' must not be empty",
    "directory.kb.too_long": "{path}: '{field}' is longer than {limit} characters",
    "directory.kb.too_many": "{path}: more than {limit} entries",
    "directory.kb.control_characters": "{path}: '{field}' contains control characters",
    "directory.kb.bad_id": "{path}: id '{value}' may only contain a-z, 0-9 and '-'",
    "directory.kb.duplicate_id": "{path}: id '{value}' is already used on line {first_line}",
    "directory.kb.duplicate_contact": "{path}: contact '{value}' appears twice in network "
    "'{network}' (first on line {first_line})",
    "directory.kb.duplicate_entry": "{path}: '{value}' appears twice (first on line {first_line})",
    "directory.kb.bad_matrix": "{path}: '{value}' is not a Matrix id like @name:server.org",
    "directory.kb.bad_email": "{path}: '{value}' is not an e-mail address",
    "directory.kb.bad_url": "{path}: '{value}' is not an http:// or https:// address",
    "directory.kb.bad_phone": "{path}: '{value}' is not a phone number",
    "directory.kb.synonym_group_too_small": "{path}: a synonym group needs at least two words",
    "directory.kb.too_many_errors": "more than {limit} problems; the rest are not shown",
}

Params = Mapping[str, str | int]


@dataclass(frozen=True)
class KbError:
    """One problem in the file. `line` is 1-based; None for problems of the whole file."""

    line: int | None
    key: str
    params: Params = field(default_factory=dict)

    @property
    def message(self) -> str:
        """English text, for logs and as the fallback of the translation."""
        return MESSAGES[self.key].format(**self.params)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class KbFileError(Exception):
    """The file is not a valid knowledge base; `errors` lists every problem found."""

    def __init__(self, errors: list[KbError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


def load_kb(text: str) -> KnowledgeBase:
    """Parse and validate a KB file; raises KbFileError listing all problems."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise KbFileError(
            [KbError(None, "directory.kb.too_large", {"size": size, "limit": MAX_FILE_BYTES})]
        )
    try:
        # Aliases are found on the event stream: in the composed tree an alias is its
        # anchor's node and carries the anchor's line, not its own.
        aliases = [
            KbError(_event_line(event), "directory.kb.alias", {"path": f"*{event.anchor}"})
            for event in yaml.parse(text, Loader=_LOADER)
            if isinstance(event, yaml.AliasEvent)
        ]
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise KbFileError([_syntax_error(exc, text)]) from None
    checker = _Checker()
    checker.errors.extend(aliases)
    kb = checker.knowledge_base(root)
    if checker.errors or kb is None:
        raise KbFileError(checker.sorted_errors())
    return kb


# What PyYAML's problems mean, for a message in the reader's language: (words of the
# problem, key). libyaml and the pure Python parser word some of them differently.
_YAML_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("',' or ']'", "directory.kb.yaml.unclosed_list"),
    ("',' or '}'", "directory.kb.yaml.unclosed_mapping"),
    ("tab character", "directory.kb.yaml.tab"),
    ("cannot start any token", "directory.kb.yaml.bad_character"),
    ("mapping values are not allowed", "directory.kb.yaml.colon"),
    ("could not find expected ':'", "directory.kb.yaml.missing_colon"),
    ("'-' indicator", "directory.kb.yaml.indentation"),
    ("expected key", "directory.kb.yaml.indentation"),
    ("<block end>", "directory.kb.yaml.indentation"),
    ("node content", "directory.kb.yaml.missing_value"),
    ("unknown escape", "directory.kb.yaml.escape"),
    ("another document", "directory.kb.yaml.documents"),
    ("document start", "directory.kb.yaml.documents"),
)
# Named where they begin (the list opened, the key without its colon), where the mistake
# is, not where the reader notices it.
_AT_START = frozenset(
    (
        "directory.kb.yaml.unclosed_list",
        "directory.kb.yaml.unclosed_mapping",
        "directory.kb.yaml.unclosed_quote",
        "directory.kb.yaml.missing_colon",
    )
)


def _syntax_error(exc: yaml.YAMLError, text: str) -> KbError:
    """The YAML reader's complaint as a message of our own with its line; the reader's
    English words only for a problem not known here."""
    if isinstance(exc, yaml.reader.ReaderError):
        where = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return KbError(where, "directory.kb.yaml.control_character", {"char": f"U+{ord(char):04X}"})
    problem = str(getattr(exc, "problem", None) or str(exc).splitlines()[0])
    context = str(getattr(exc, "context", None) or "")
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    key = next((k for words, k in _YAML_PROBLEMS if words in problem), None)
    if "end of stream" in problem and "quoted scalar" in context:
        key = "directory.kb.yaml.unclosed_quote"
    elif key == "directory.kb.yaml.missing_value" and _at_end(problem_mark, text):
        key = "directory.kb.yaml.unexpected_end"
    elif "single document" in context:
        key = "directory.kb.yaml.documents"
    mark = context_mark if key in _AT_START and context_mark else problem_mark or context_mark
    line = None if mark is None else mark.line + 1
    params: Params = {}
    if key == "directory.kb.yaml.bad_character":
        char = _char_at(text, mark)
        if char == "\t":
            key = "directory.kb.yaml.tab"
        else:
            params = {"char": repr(char) if char else "?"}
    if key is None:
        return KbError(line, "directory.kb.yaml_syntax", {"problem": problem})
    return KbError(line, key, params)


def _at_end(mark: Any, text: str) -> bool:
    """The mark stands after the last of the text's content: the file ended too early."""
    if mark is None:
        return False
    lines = text.splitlines()
    return mark.line >= len(lines) or not "".join(lines[mark.line :]).strip()


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _event_line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return None if mark is None else int(mark.line) + 1


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


class _Checker:
    """Walks the composed node tree once, collecting errors and building the values."""

    def __init__(self) -> None:
        self.errors: list[KbError] = []
        self._visited: set[int] = set()

    def sorted_errors(self) -> list[KbError]:
        errors = sorted(self.errors, key=lambda e: e.line or 0)  # stable: file order kept
        if len(errors) > MAX_ERRORS:
            errors = [
                *errors[:MAX_ERRORS],
                KbError(None, "directory.kb.too_many_errors", {"limit": MAX_ERRORS}),
            ]
        return errors

    def error(self, node: Node | None, message: str, /, **params: str | int) -> None:
        if len(self.errors) <= MAX_ERRORS:
            line = _line(node) if node is not None else None
            self.errors.append(KbError(line, message, params))

    def _first_visit(self, node: Node) -> bool:
        """An alias is the very node object of its anchor. It was reported while parsing and
        is not walked again, which keeps "billion laughs" files cheap."""
        if id(node) in self._visited:
            return False
        self._visited.add(id(node))
        return True

    # -- generic shapes ---------------------------------------------------------------------

    def mapping(
        self, node: Node, path: str, allowed: tuple[str, ...]
    ) -> dict[str, tuple[Node, Node]] | None:
        """{key: (key node, value node)}, reporting duplicates and unknown keys."""
        if not self._first_visit(node):
            return None
        if not isinstance(node, MappingNode):
            self.error(node, "directory.kb.expected_mapping", path=path)
            return None
        entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _CORE_TAGS:
                self.error(key_node, "directory.kb.expected_text", path=path)
                continue
            key = key_node.value
            if key in entries:
                self.error(key_node, "directory.kb.duplicate_key", path=path, key=key)
            elif key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                if close:
                    self.error(
                        key_node,
                        "directory.kb.unknown_key_suggestion",
                        path=path,
                        key=key,
                        suggestion=close[0],
                    )
                else:
                    self.error(
                        key_node,
                        "directory.kb.unknown_key",
                        path=path,
                        key=key,
                        allowed=", ".join(allowed),
                    )
            else:
                entries[key] = (key_node, value_node)
        return entries

    def sequence(self, node: Node, path: str, limit: int) -> list[Node]:
        if not self._first_visit(node):
            return []
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            return []  # "topics:" with nothing after it
        if not isinstance(node, SequenceNode):
            self.error(node, "directory.kb.expected_list", path=path)
            return []
        if len(node.value) > limit:
            self.error(node, "directory.kb.too_many", path=path, limit=limit)
            return []
        return list(node.value)

    def text(
        self, node: Node, path: str, name: str, limit_key: str, multiline: bool = False
    ) -> str | None:
        """The scalar as written, stripped; None for null/empty (reported by the caller)."""
        if not self._first_visit(node):
            return None
        if not isinstance(node, ScalarNode) or node.tag not in _CORE_TAGS:
            self.error(node, "directory.kb.expected_text", path=path)
            return None
        if node.tag == _NULL:
            return None
        value = str(node.value).strip()
        if not value:
            return None
        problem = text_problem(value, limit_key, multiline=multiline)
        if problem is not None:
            self.error(node, problem, path=path, field=name, limit=LIMITS[limit_key])
            return None
        return value

    def field_text(
        self,
        entries: dict[str, tuple[Node, Node]],
        owner: Node,
        path: str,
        name: str,
        limit_key: str | None = None,
        required: bool = False,
        multiline: bool = False,
    ) -> str | None:
        if name not in entries:
            if required:
                self.error(owner, "directory.kb.missing_field", path=path, field=name)
            return None
        _, node = entries[name]
        value = self.text(node, f"{path}.{name}", name, limit_key or name, multiline)
        if value is None and required and _is_blank(node):
            self.error(node, "directory.kb.empty_value", path=path, field=name)
        return value

    def text_list(
        self,
        entries: dict[str, tuple[Node, Node]],
        path: str,
        name: str,
        limit: int,
        item_limit_key: str,
    ) -> tuple[str, ...]:
        if name not in entries:
            return ()
        return self.texts(entries[name][1], f"{path}.{name}", name, limit, item_limit_key)

    def texts(
        self, list_node: Node, path: str, name: str, limit: int, item_limit_key: str
    ) -> tuple[str, ...]:
        """A list of distinct texts (compared folded: "Wärme" repeats "waerme")."""
        items: list[str] = []
        first_seen: dict[str, int] = {}
        for i, node in enumerate(self.sequence(list_node, path, limit), 1):
            item_path = f"{path}[{i}]"
            value = self.text(node, item_path, name, item_limit_key)
            if value is None:
                if _is_blank(node):
                    self.error(node, "directory.kb.empty_value", path=item_path, field=name)
                continue
            folded = entry_key(value)
            if folded in first_seen:
                self.error(
                    node,
                    "directory.kb.duplicate_entry",
                    path=item_path,
                    value=value,
                    first_line=first_seen[folded],
                )
                continue
            first_seen[folded] = _line(node)
            items.append(value)
        return tuple(items)

    # -- the KB structure -------------------------------------------------------------------

    def knowledge_base(self, root: Node | None) -> KnowledgeBase | None:
        if root is None:  # an empty file, or only comments
            self.errors.append(KbError(None, "directory.kb.empty_file"))
            return None
        top = self.mapping(root, "(file)", TOP_KEYS)
        if top is None:
            return None
        synonyms = self.synonyms(top["synonyms"][1]) if "synonyms" in top else ()
        if "networks" not in top:
            self.error(root, "directory.kb.missing_field", path="(file)", field="networks")
            return None
        networks: list[Network] = []
        first_line: dict[str, int] = {}
        nodes = self.sequence(top["networks"][1], "networks", MAX_NETWORKS)
        for position, node in enumerate(nodes, 1):
            network = self.network(node, position)
            if network is None:
                continue
            if network.id in first_line:
                self.error(
                    node,
                    "directory.kb.duplicate_id",
                    path=f"networks[{position}]",
                    value=network.id,
                    first_line=first_line[network.id],
                )
                continue
            first_line[network.id] = _line(node)
            networks.append(network)
        return KnowledgeBase(networks=tuple(networks), synonyms=synonyms)

    def synonyms(self, node: Node) -> tuple[tuple[str, ...], ...]:
        groups: list[tuple[str, ...]] = []
        for i, group_node in enumerate(self.sequence(node, "synonyms", MAX_SYNONYM_GROUPS), 1):
            path = f"synonyms[{i}]"
            group = self.texts(group_node, path, "synonym", MAX_SYNONYM_GROUP_SIZE, "synonym")
            if isinstance(group_node, SequenceNode) and len(group_node.value) < 2:
                self.error(group_node, "directory.kb.synonym_group_too_small", path=path)
            elif len(group) >= 2:
                groups.append(group)
        return tuple(groups)

    def network(self, node: Node, position: int) -> Network | None:
        path = f"networks[{position}]"
        entries = self.mapping(node, path, NETWORK_KEYS)
        if entries is None:
            return None
        errors_before = len(self.errors)
        network_id = self.field_text(entries, node, path, "id", required=True)
        if network_id is not None:
            if _ID.fullmatch(network_id):
                path = network_id  # from here on, errors name the network by its id
            else:
                self.error(entries["id"][1], "directory.kb.bad_id", path=path, value=network_id)
        name = self.field_text(entries, node, path, "name", required=True)
        short = self.field_text(entries, node, path, "short")
        url = self.field_text(entries, node, path, "url")
        if url is not None and not _valid_url(url):
            self.error(entries["url"][1], "directory.kb.bad_url", path=f"{path}.url", value=url)
        description = self.field_text(entries, node, path, "description", multiline=True)
        topics = self.text_list(entries, path, "topics", MAX_TOPICS, "topic")
        offers = self.text_list(entries, path, "offers", MAX_TOPICS, "offer")
        contacts = self.contacts(entries, path)
        if len(self.errors) > errors_before or network_id is None or name is None:
            return None
        return Network(network_id, name, short, url, description, topics, offers, contacts)

    def contacts(self, entries: dict[str, tuple[Node, Node]], path: str) -> tuple[Contact, ...]:
        if "contacts" not in entries:
            return ()
        contacts: list[Contact] = []
        seen: dict[str, int] = {}
        nodes = self.sequence(entries["contacts"][1], f"{path}.contacts", MAX_CONTACTS)
        for i, node in enumerate(nodes, 1):
            contact = self.contact(node, f"{path}.contacts[{i}]")
            if contact is None:
                continue
            keys = contact_keys(contact)
            duplicate = next((k for k in keys if k in seen), None)
            if duplicate is not None:
                self.error(
                    node,
                    "directory.kb.duplicate_contact",
                    path=f"{path}.contacts[{i}]",
                    value=contact.name,
                    network=path,
                    first_line=seen[duplicate],
                )
                continue
            for key in keys:
                seen[key] = _line(node)
            contacts.append(contact)
        return tuple(contacts)

    def contact(self, node: Node, path: str) -> Contact | None:
        entries = self.mapping(node, path, CONTACT_KEYS)
        if entries is None:
            return None
        errors_before = len(self.errors)
        name = self.field_text(entries, node, path, "name", "contact.name", required=True)
        role = self.field_text(entries, node, path, "role")
        matrix = self.field_text(entries, node, path, "matrix")
        if matrix is not None and not is_matrix_id(matrix):
            self.error(
                entries["matrix"][1], "directory.kb.bad_matrix", path=f"{path}.matrix", value=matrix
            )
        email = self.field_text(entries, node, path, "email")
        if email is not None and not _EMAIL.fullmatch(email):
            self.error(
                entries["email"][1], "directory.kb.bad_email", path=f"{path}.email", value=email
            )
        phone = self.field_text(entries, node, path, "phone")
        if phone is not None and not _valid_phone(phone):
            self.error(
                entries["phone"][1], "directory.kb.bad_phone", path=f"{path}.phone", value=phone
            )
        topics = self.text_list(entries, path, "topics", MAX_CONTACT_TOPICS, "topic")
        if len(self.errors) > errors_before or name is None:
            return None
        return Contact(name, role, matrix, email, phone, topics)


# -- the rules for single values, shared with the edits made in the room ----------------------
# A room edit that passes these can be exported and imported again.


def text_problem(value: str, limit_key: str, *, multiline: bool = False) -> str | None:
    """The message key if the (stripped) text breaks a rule of the file, else None. The
    message takes `path`, `field` and `limit`."""
    allowed = "\n\t" if multiline else ""
    if any(_is_control(ch) and ch not in allowed for ch in value):
        return "directory.kb.control_characters"
    if len(value) > LIMITS[limit_key]:
        return "directory.kb.too_long"
    return None


def entry_key(value: str) -> str:
    """Items of one list (topics, offers, a synonym group) must differ in this key: case and
    umlaut spelling aside, "Waermepumpen" repeats "Wärmepumpen"."""
    return fold(value)


def contact_keys(contact: Contact) -> list[str]:
    """A network may not hold two contacts sharing a key: the same name, or the same Matrix id
    (ids compared case-insensitively, as the homeserver's would be by a person reading them)."""
    keys = [f"name:{fold(contact.name)}"]
    if contact.matrix:
        keys.append(f"matrix:{contact.matrix.casefold()}")
    return keys


def is_matrix_id(value: str) -> bool:
    return bool(_MATRIX.fullmatch(value))


def _is_blank(node: Node) -> bool:
    """A scalar with nothing in it: `name:`, `name: ~`, `name: ""`."""
    return (
        isinstance(node, ScalarNode)
        and node.tag in _CORE_TAGS
        and (node.tag == _NULL or not str(node.value).strip())
    )


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") and ch not in (
        "\u200d",  # zero-width joiner: part of some emoji and scripts
    )


def _valid_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not any(ch.isspace() for ch in url)
    )


def _valid_phone(phone: str) -> bool:
    return bool(_PHONE.fullmatch(phone)) and sum(ch.isdigit() for ch in phone) >= 3


# -- writing --------------------------------------------------------------------------------


class _Flow(list[str]):
    """A list written inline: `topics: [A, B]`, as people write them by hand."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # never write anchors: load_kb refuses them

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key ("networks:\n  - id: …"), as the file is written.
        super().increase_indent(flow, False)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None  # multi-line descriptions stay readable
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(str, _represent_str)


def dump_kb(kb: KnowledgeBase) -> str:
    """The KB as YAML in the file format; `load_kb(dump_kb(kb)) == kb` for any valid kb."""
    document: dict[str, Any] = {}
    if kb.synonyms:
        document["synonyms"] = [_Flow(group) for group in kb.synonyms]
    document["networks"] = [_network_dict(network) for network in kb.networks]
    text: str = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=90, indent=2
    )
    # A blank line between networks, as in a hand-written file; YAML ignores it. Only the
    # network items sit at this indentation: all scalar text is indented deeper.
    head, first, rest = text.partition("\n  - id: ")
    return head + first + rest.replace("\n  - id: ", "\n\n  - id: ")


def _network_dict(network: Network) -> dict[str, Any]:
    data: dict[str, Any] = {"id": network.id, "name": network.name}
    for key in ("short", "url", "description"):
        value = getattr(network, key)
        if value is not None:
            data[key] = value
    if network.topics:
        data["topics"] = _Flow(network.topics)
    if network.offers:
        data["offers"] = _Flow(network.offers)
    if network.contacts:
        data["contacts"] = [_contact_dict(contact) for contact in network.contacts]
    return data


def _contact_dict(contact: Contact) -> dict[str, Any]:
    data: dict[str, Any] = {"name": contact.name}
    for key in ("role", "matrix", "email", "phone"):
        value = getattr(contact, key)
        if value is not None:
            data[key] = value
    if contact.topics:
        data["topics"] = _Flow(contact.topics)
    return data
