"""dump_kb writes the file format back: load(dump(kb)) == kb, for the demo and for any KB."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.directory.kb import Contact, KnowledgeBase, Network
from plugins.directory.kb_file import KbFileError, dump_kb, load_kb
from plugins.directory.text import fold

DEMO = Path(__file__).parents[3] / "plugins" / "directory" / "demo_kb.yaml"


def test_demo_round_trips() -> None:
    kb = load_kb(DEMO.read_text(encoding="utf-8"))
    text = dump_kb(kb)
    assert load_kb(text) == kb
    assert dump_kb(load_kb(text)) == text  # stable: dumping again changes nothing


def test_dump_keeps_format_order_and_unicode() -> None:
    kb = load_kb(DEMO.read_text(encoding="utf-8"))
    text = dump_kb(kb)
    assert "Thüringen" in text and "\\u" not in text
    assert text.startswith("synonyms:\n  - [Photovoltaik, PV,")
    first = text[text.index("  - id: maschinenbau") : text.index("  - id: energiewende")]
    keys = re.findall(r"^(?:  - |    )(\w+):", first, re.MULTILINE)
    assert keys == ["id", "name", "short", "url", "description", "topics", "offers", "contacts"]
    assert "topics: [Industrie 4.0, Messen]" in text  # lists stay inline, as written by hand


def test_optional_fields_are_left_out() -> None:
    kb = KnowledgeBase(networks=(Network(id="a", name="A"),))
    assert dump_kb(kb) == "networks:\n  - id: a\n    name: A\n"
    assert load_kb(dump_kb(kb)) == kb


def test_tricky_values_survive() -> None:
    kb = KnowledgeBase(
        networks=(
            Network(
                id="0",
                name="yes",
                short="null",
                description="Zeile: eins\n# zwei\n- drei",
                topics=("123", "0361", "@home", "a: b", "#tag", "'quoted'", '"x"', "[list]"),
                contacts=(Contact(name="No", phone="0361123456", topics=("true", "~")),),
            ),
        ),
        synonyms=(("on", "off", "1.5"),),
    )
    assert load_kb(dump_kb(kb)) == kb


# -- any valid KB ---------------------------------------------------------------------------

# Printable text as people type it: letters with umlauts, digits, punctuation, YAML's special
# characters; no control or format characters (the loader refuses those), no outer spaces.
TEXT_CHARS = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"),
    blacklist_characters="\ufeff",
)


def text(max_size: int = 30) -> st.SearchStrategy[str]:
    return st.text(TEXT_CHARS, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def distinct_texts(max_size: int) -> st.SearchStrategy[tuple[str, ...]]:
    # The loader rejects repeats that only differ in case or umlaut spelling.
    return st.lists(text(), max_size=max_size, unique_by=fold).map(tuple)


optional_text = st.none() | text()
descriptions = st.none() | st.text(
    st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")) | st.just("\n"),
    min_size=1,
    max_size=80,
).map(str.strip).filter(bool)
local = st.from_regex(r"[a-z0-9._=/-]{1,12}", fullmatch=True)
host = st.from_regex(r"[a-z][a-z0-9-]{0,10}\.(org|de|example)", fullmatch=True)

contacts = st.builds(
    Contact,
    name=text(),
    role=optional_text,
    matrix=st.none() | st.builds(lambda u, h: f"@{u}:{h}", local, host),
    email=st.none()
    | st.builds(lambda u, h: f"{u}@{h}", st.from_regex(r"[a-z0-9.]{1,10}", fullmatch=True), host),
    phone=st.none() | st.from_regex(r"\+49 [0-9]{2,5} [0-9]{3,8}", fullmatch=True),
    topics=distinct_texts(4),
)


@st.composite
def networks(draw: st.DrawFn, network_id: str) -> Network:
    people = draw(st.lists(contacts, max_size=3, unique_by=lambda c: fold(c.name)))
    seen_matrix: set[str] = set()
    unique_people = []
    for person in people:  # one Matrix id per network (the loader checks that too)
        if person.matrix and person.matrix.casefold() in seen_matrix:
            continue
        seen_matrix.add((person.matrix or "").casefold())
        unique_people.append(person)
    return Network(
        id=network_id,
        name=draw(text()),
        short=draw(optional_text),
        url=draw(
            st.none()
            | st.builds(
                lambda h, p: f"https://{h}/{p}",
                host,
                st.from_regex(r"[a-z0-9]{0,6}", fullmatch=True),
            )
        ),
        description=draw(descriptions),
        topics=draw(distinct_texts(6)),
        offers=draw(distinct_texts(3)),
        contacts=tuple(unique_people),
    )


@st.composite
def knowledge_bases(draw: st.DrawFn) -> KnowledgeBase:
    ids = draw(st.lists(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), max_size=4, unique=True))
    groups = draw(
        st.lists(st.lists(text(), min_size=2, max_size=4, unique_by=fold).map(tuple), max_size=3)
    )
    return KnowledgeBase(networks=tuple(draw(networks(i)) for i in ids), synonyms=tuple(groups))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(knowledge_bases())
def test_any_valid_kb_round_trips(kb: KnowledgeBase) -> None:
    text_ = dump_kb(kb)
    try:
        loaded = load_kb(text_)
    except KbFileError as exc:  # pragma: no cover - shown on failure
        raise AssertionError(f"{exc.errors}\n{text_}") from exc
    assert loaded == kb
