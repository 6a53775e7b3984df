"""In-memory search over the knowledge base: "which network handles X?".

Index
-----
Every phrase of a network — topics, offers, its contacts' topics and roles, short name,
name, description — is tokenised and folded (`text.py`). Posting lists map each folded word
form (whole word and hyphen parts) and each stem to the networks containing it, grouped by
field weight; whole phrases are also keyed by their word sequence and their stem sequence.
A query touches only the posting lists of its own words, never all networks.

Scoring
-------
The query is cut into content words (stop words such as "wer", "zuständig", "für",
"Firma" dropped). Each query word gets, per network, its best match among:

==================  ======  ===========================================================
kind                weight  example
==================  ======  ===========================================================
phrase              1.00    the query words are a whole topic ("Erneuerbare Energien")
stem phrase         0.90    …up to inflection ("erneuerbarer Energie")
exact term          0.85    a word of a topic ("Wasserstoff" in "Grüner Wasserstoff")
stem                0.70    same stem ("Sensoren" ~ "Sensorik", "Zellen" ~ "Zelle")
compound part       0.50    the word begins or ends a KB compound ("Recycling" in
                            "Kunststoffrecycling"); what is left must be a KB word too, or
                            a front or last part KB compounds share, so "Lage" is not
                            found in "Verlage", nor "Druck" in "Fußabdruck"
split compound      shares  the query word splits into KB words ("Wasserstofftankstelle"
                            → Wasserstoff + Tankstelle, "PV-Anlage" → PV + Anlage): each
                            part is matched as a word of its own (synonyms included,
                            typos not) and counts for its share — by the square root of
                            its letters, a known last part half, as the head names the
                            kind and the parts before it the subject (`part_weights`);
                            unknown parts count zero
synonym             ×0.45   a member of the word's KB synonym group matched (PV →
                            Photovoltaik): that member's own score times 0.45
vowel change        ×0.80   only for words without an exact, stem or synonym match: the
                            stem's end changed to the other vowel of a strong verb
                            ("Spritzgießen" → Spritzguss, "Drohnenfliegen" → Drohnenflug,
                            `text.ALTERNATIONS`), matched as a word of its own (typos not)
                            times 0.80; only a KB word counts, so "Gießen" is no "Guss"
fuzzy               ×0.40   only for words without an exact, stem or synonym match: the
                            closest vocabulary words (edit distance 1 for 5–7 letters,
                            2 from 8, none below 5) scored as themselves times 0.40; a
                            word so corrected is split only into KB words all, as it is
                            a KB word mistyped ("Medizintechnick" is no Medizin + Tech +
                            an unknown "nick", which would bring "Technische Keramik")
==================  ======  ===========================================================

Each kind is multiplied by the weight of the field it was found in: topic 1.0, short name
1.0, offer 0.9, a contact's topic 0.9 (it counts for the contact's network), name 0.7,
a contact's role 0.5, description 0.35. A network matching m of the n query words (those
that match anything in the KB at all) scores

    sqrt(m / n) × (Σ over the query words of idf(word) × best match) / n

where idf = 0.5 + 0.5·ln((N+1)/n)/ln(N+1) for a word matching n of N networks, so a word
that matches everywhere counts half as much as a rare one, and the square root makes a
network that matches more of the query words rank above one that matches a single word
very well. Dividing by the number of query words keeps scores between 0 and 1 whatever the
query's length, so that the floors below mean the same for every query. Ties are broken by
network id, so results are deterministic.

Floors
------
* MIN_RELATIVE_SCORE = 0.2: hits below a fifth of the best score are dropped as noise.
* MIN_SCORE = 0.05: never returned at all, whatever the rest; such a score rests on a
  small unknown-heavy part of a compound or a typo of a word in a description.
* CONFIDENT_SCORE = 0.2: a plain question in the room ("Wer kümmert sich um X?", asked of
  nobody in particular) is answered only with hits from this score on, found without
  guesses (see "Plain questions"); the bot stays silent otherwise. `!wer` shows weaker
  hits too, or the closest topics. Under 0.2 are guesses: the head of a compound alone
  ("Biogas|anlage" ~ "Anlagenbau"), half of a word matched as a compound part, a typo
  correction in a name. A whole topic scores 1, a compound with a known front matched as a
  KB compound front about 0.25.
* A best score under CONFIDENT_SCORE that several networks share is no answer at all:
  only the id order would pick among them.

Texts
-----
A query of more than MAX_TOPIC_LENGTH words (fillers included) is a text, such as a request
filed as a ticket, not a topic. Its prose must not count: of its words only those that
match some network more strongly than a description alone could (SUBJECT_SCORE = 0.3,
idf included) are kept, at most MAX_QUERY_WORDS = 10 of them, the strongest first (not the
first ten: the subject often comes last, "…zur Förderung von Photovoltaik"). A request
names several things, so it is scored as if it held only the words its best network
matched: the best network's score is the mean of its words' matches, and the others are
scaled alike. Its suggestions are spread over the things it names: each subject
word's networks in score order, but a network for a subject not yet covered comes before a
further one for a subject that is (`_spread`). Hits under TEXT_MIN_SCORE = 0.2 are dropped:
a ticket gets a suggestion or none, not a guess. (A topic's words that match nothing in
the KB at all, "in Gera", are left out of n as well: they say nothing about which network
it is.)

Plain questions
---------------
A question that nobody put to the bot by name is searched with `guesses=False`: only what
the KB says counts, not what the engine guesses, as a wrong answer there breaks into a
conversation. So a word split into pieces counts only if every piece is a KB word, or if
its first one is, or is a front the KB puts before a KB word, as the front names the
subject ("Pflege|heime", "Holz|haus|bau", "Wind|kraft" like "Wind|energie"); not
"moul|ding" (English "moulding" is no kind of "Ding") nor "trans|lation" (a front of
"Transport" and "Transformation", never before a word). Typos are corrected only in words
of CLOSE_TYPO_LENGTH = 8 letters or more, at one edit in CLOSE_TYPO_SHARE = 5 letters
("Medizintechnick", "Fotovoltaik") or in the last CLOSE_TYPO_ENDING = 3 letters only
("robotics" ~ "Robotik"); shorter words one edit apart are often other words ("Lagern" ~
"Lasern"). A network that only its description explains is left out: running text holds
words by the way ("Jena", "Weg", "Organisation"). `!wer` searches with guesses.

Compound guesses (a word as the front or head of KB compounds) are made from topics,
offers, names and roles, not from descriptions: running text holds too many accidental
substrings, and the longest posting lists.

Speed
-----
Scores come from a handful of weights, so the networks a word matches fall into a few
score levels. A word's match is kept as levels of network sets (`_Levels`), and the query
is ranked by walking the combinations of levels across its words with set intersections
and differences — work in C, proportional to the number of distinct score combinations,
not to the number of matching networks — leaving branches that cannot reach the top.
Word matches are cached per index, least recently used forgotten first, at most
CACHE_WORDS of them holding at most CACHE_ENTRIES network entries; words that match
nothing are not cached.
The index keeps its bulk in plain tuples and dicts of strings and ints, which the garbage
collector stops tracking, so a full collection in a bot with a 10,000-network KB does not
walk a million posting entries.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from plugins.directory.kb import Contact, KnowledgeBase, Network
from plugins.directory.text import (
    ENDINGS,
    FUGEN,
    STOP_WORDS,
    CompoundSplitter,
    Normaliser,
    Piece,
    Word,
    alternated,
    fold,
    infer_modifiers,
    tokenize,
    written_words,
)

PHRASE = 1.0
STEM_PHRASE = 0.9
EXACT = 0.85
STEM = 0.7
COMPOUND = 0.5
SYNONYM = 0.45
ALTERNATION = 0.8
FUZZY = 0.4
MIN_RELATIVE_SCORE = 0.2
MIN_SCORE = 0.05  # below: noise, never returned
TEXT_MIN_SCORE = 0.2  # for a longer text, such as a request: suggestions, not guesses
SUBJECT_SCORE = 0.3  # a word of a text counts from here: more than a description gives
CONFIDENT_SCORE = 0.2  # a plain question in the room is answered from here on
CLOSE_TYPO_LENGTH = 8  # a plain question's typo is corrected in words this long…
CLOSE_TYPO_SHARE = 5  # …at one edit in this many letters…
CLOSE_TYPO_ENDING = 3  # …or in the last this many letters only
TIE = 1e-9  # scores closer than this are equal: summation order must not decide a rank
SIMILAR_SPELLING = 75  # rapidfuzz ratio from which a topic's word is "spelled alike"
LONG_PART = 6  # a front or end this long is a likeness even in long words (Quanten|…)

HEAD_SHARE = 0.5  # the last part of a compound, relative to the parts before it
AFFIX_MIN_LENGTH = 4  # "Holz" may be the front of "Holzbau"; "Bau" is too short to tell
FRONT_MIN_LENGTH = 5  # begins a compound even when the rest is no KB word ("Tagung|sstandort")
HEAD_MIN_LENGTH = 7  # ends one even so ("Textil|recycling"); see _compounds_around
_PREFIXES = frozenset(("be", "ge", "er", "ver", "zer", "ent", "emp", "miss"))  # no words
AFFIX_CAP = 64  # compounds considered per query word: plenty for real KBs, bounded for big ones
MAX_QUERY_CHARS = 2000  # a request's text at most, not a document: bounds the work
MAX_TOPIC_LENGTH = 8  # words, fillers included; a longer query is a text (see "Texts")
MAX_QUERY_WORDS = 10  # of a text, the words that count
SPREAD_POOL = 4  # a text's suggestions are spread over its subjects from limit × this many
MAX_PHRASE_WORDS = 6
CACHE_WORDS = 50_000  # cached word matches: some 50 MB at most
CACHE_ENTRIES = 1_000_000  # network entries they hold together: some 40 MB at most


class Field(IntEnum):
    TOPIC = 0
    OFFER = 1
    CONTACT_TOPIC = 2
    SHORT = 3
    NAME = 4
    DESCRIPTION = 5
    ROLE = 6  # a contact's role ("Referentin Klimaschutz"): weak, but says what they do


FIELD_WEIGHT: dict[Field, float] = {
    Field.TOPIC: 1.0,
    Field.OFFER: 0.9,
    Field.CONTACT_TOPIC: 0.9,
    Field.SHORT: 1.0,
    Field.NAME: 0.7,
    Field.DESCRIPTION: 0.35,
    Field.ROLE: 0.5,
}
EXPLAINED_FIELDS = (Field.TOPIC, Field.OFFER, Field.CONTACT_TOPIC)
_FIELD_LABELS = {Field.SHORT: "name", Field.NAME: "name", Field.ROLE: "role"}
PROSE_WEIGHT = FIELD_WEIGHT[Field.DESCRIPTION]

# field weight -> network positions. Tuples, not sets: the garbage collector skips tuples
# of ints, and a full collection that walks a million posting entries stalls the bot.
Posting = dict[float, tuple[int, ...]]
_Building = dict[Any, dict[float, set[int]]]  # postings while the index is built


@dataclass(frozen=True)
class Hit:
    network_id: str
    score: float
    matched: list[str]  # KB phrases (topics, offers, contact topics) that matched
    contacts: list[Contact]  # contacts whose own topics matched first, then the rest
    # When no such phrase matched: the other fields that did, as ("name" | "role" |
    # "description", the text), the description's matching words as written there.
    fields: list[tuple[str, str]] = field(default_factory=list)


# -- score levels ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Levels:
    """Networks grouped by score, best first; the sets are disjoint."""

    levels: tuple[_Source, ...] = ()
    all: AbstractSet[int] = frozenset()

    @property
    def size(self) -> int:
        return len(self.all)

    def scaled(self, factor: float) -> list[_Source]:
        return [(score * factor, nets) for score, nets in self.levels]


_Source = tuple[float, frozenset[int]]
_Raw = tuple[float, Collection[int]]  # a posting list (tuple) or a level (set)


def _spread(
    ranked: list[tuple[int, float]], subjects: list[_Levels], limit: int
) -> list[tuple[int, float]]:
    """The text's subjects each get a network before any subject gets a second one.

    "Maschinenbauer sucht Fördermittel für eine Photovoltaik-Anlage" names three things; a
    second network for Fördermittel must not push out the only one for Photovoltaik. A
    network matching several subjects scores highest anyway and stays first."""

    def covers(net: int) -> set[int]:  # the subjects it is a best match for
        return {i for i, s in enumerate(subjects) if s.levels and net in s.levels[0][1]}

    chosen: list[tuple[int, float]] = []
    covered: set[int] = set()
    rest = list(ranked)
    while rest and len(chosen) < limit:
        pick = next((hit for hit in rest if covers(hit[0]) - covered), rest[0])
        rest.remove(pick)
        chosen.append(pick)
        covered |= covers(pick[0])
    return chosen


def _best_of(sources: Iterable[_Raw]) -> _Levels:
    """Per network the best score offered by any source (alternative ways to match).

    A word can draw on hundreds of posting lists (every compound it begins or ends) but on
    few distinct scores, so the lists are united per score first, in C."""
    by_score: dict[float, list[Collection[int]]] = {}
    for score, nets in sources:
        if score > 0:
            by_score.setdefault(round(score, 9), []).append(nets)
    levels: list[_Source] = []
    seen: set[int] = set()
    for score in sorted(by_score, reverse=True):
        new = set().union(*by_score[score])
        new.difference_update(seen)
        if new:
            seen.update(new)
            levels.append((score, frozenset(new)))
    return _Levels(tuple(levels), seen)


def _combinations(
    parts: list[_Levels],
    weights: list[float],
    require_all: bool = False,
    admit: Callable[[int, float, int], bool] | None = None,
) -> Iterator[tuple[float, int, AbstractSet[int]]]:
    """(Σ weight × level score, parts covered, networks) for every combination of levels
    across `parts` that some network has, best levels first.

    Networks with the same levels share a score, so combinations are walked with set
    intersections and differences instead of visiting networks. "In none of the parts so
    far" is kept as a list of sets to subtract (None), never as a set of all networks.
    `admit(depth, score, covered)` may cut branches that cannot matter any more. Iterative,
    not recursive: a recursive closure is a reference cycle that only the garbage
    collector frees, and collections are what make a lookup slow now and then."""
    Node = tuple[int, AbstractSet[int] | None, tuple[AbstractSet[int], ...], float, int]
    stack: list[Node] = [(0, None, (), 0.0, 0)]
    while stack:
        k, nets, excluded, score, covered = stack.pop()
        if admit is not None and not admit(k, score, covered):
            continue
        if k == len(parts):
            if nets is not None:
                yield score, covered, nets
            continue
        part = parts[k]
        if not require_all and (admit is None or admit(k + 1, score, covered)):
            if nets is None:
                stack.append((k + 1, None, (*excluded, part.all), score, covered))
            elif outside := nets - part.all:
                stack.append((k + 1, outside, (), score, covered))
        for level_score, level in reversed(part.levels):  # pushed last, popped first
            reached = score + weights[k] * level_score
            if admit is not None and not admit(k + 1, reached, covered + 1):
                continue
            inside: AbstractSet[int]
            if nets is None:
                inside = level.difference(*excluded) if excluded else level
            else:
                inside = nets & level
            if inside:
                stack.append((k + 1, inside, (), reached, covered + 1))


def _sum_of(parts: list[_Levels], share: float, require_all: bool = False) -> _Levels:
    """Per network share × the sum of its scores in `parts` (the parts of one word)."""
    return _weighted_sum(parts, [share] * len(parts), require_all)


def _weighted_sum(parts: list[_Levels], weights: list[float], require_all: bool = False) -> _Levels:
    """Per network the sum of weight × its score in each of `parts`."""
    return _best_of(
        (total, nets) for total, _, nets in _combinations(parts, weights, require_all) if total > 0
    )


def part_weights(lengths: list[int], known: list[bool], by_length: bool) -> list[float]:
    """Shares of a compound's parts (they add up to 1). A German compound's last part names
    the general kind and the parts before it the specific one: a "PV-Anlage" is about PV, a
    "Filmförderung" about film, a "Kunststoffrecyclinganlage" about plastics recycling. So
    a known last part counts half; an unknown one keeps its full share, as what the match
    does not explain. Split compounds also weigh their parts by the square root of their
    letters: a longer part explains more of the word, so a short piece cannot outweigh a
    long one, but not in proportion, so a long generic head cannot drown its modifier
    ("Forst|maschinen"). Hyphen parts count alike ("PV" and "KI" are short and specific)."""
    raw = [math.sqrt(n) if by_length else 1.0 for n in lengths]
    if len(raw) > 1 and known[-1]:
        raw[-1] *= HEAD_SHARE
    total = sum(raw)
    return [w / total for w in raw]


class _Best:
    """While ranking: the score the `limit`-th best network has reached so far, and the
    best score; anything that cannot reach either bar is not worth computing."""

    def __init__(self, limit: int, min_score: float) -> None:
        self._limit = limit
        self._min = min_score
        self._heap: list[tuple[float, int]] = []  # (score, networks), the weakest on top
        self._held = 0
        self._top = 0.0

    def admits(self, score: float) -> bool:
        bar = max(self._top * MIN_RELATIVE_SCORE, self._min)
        if self._held >= self._limit:
            bar = max(bar, self._heap[0][0])
        return score >= bar - TIE

    def add(self, score: float, count: int) -> None:
        self._top = max(self._top, score)
        heapq.heappush(self._heap, (score, count))
        self._held += count
        while self._held - self._heap[0][1] >= self._limit:
            self._held -= heapq.heappop(self._heap)[1]


# -- building blocks -------------------------------------------------------------------------


@dataclass
class _Match:
    """How one query word (or synonym member) matches: score sources per network set, plus
    the KB word forms and stems that produced them, which later explain a hit."""

    sources: list[_Raw] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)

    def add(self, posting: Posting, weight: float, prose: bool = True) -> None:
        """`prose=False` leaves out descriptions: compound guesses are made from the
        KB's terms, not from running text (which is also where the long postings are)."""
        self.sources.extend(
            (weight * fw, nets) for fw, nets in posting.items() if prose or fw != PROSE_WEIGHT
        )

    def merge(self, other: _Match, factor: float = 1.0) -> None:
        """Alternative ways to match the same word: the best one counts."""
        self.sources.extend(other.levels().scaled(factor))
        self.tokens |= other.tokens
        self.stems |= other.stems

    def levels(self) -> _Levels:
        return _best_of(self.sources)


@dataclass(frozen=True)
class _WordMatch:
    """The cached, final form of a word's match."""

    levels: _Levels
    tokens: frozenset[str]
    stems: frozenset[str]


# The index holds hundreds of thousands of these, so they are plain tuples of strings and
# ints: the garbage collector stops tracking such tuples, while instances of classes (even
# NamedTuples) stay tracked and make every full collection walk them.
#
# A KB phrase analysed: (folded forms — whole words and hyphen parts, their stems,
# the word sequence with hyphen parts split — the phrase key, its stems, folded text).
_Analysis = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str]
# A phrase of a network: (text, Field as int, contact position or None, analysis number).
_Phrase = tuple[str, int, int | None, int]


class _SizedCache:
    """Word matches by key, least recently used forgotten first, bounded twice: by words
    (each entry costs about a kilobyte, however small its match) and by the network entries
    all matches hold together. Misses are not kept: a stream of unknown words (typos,
    names, any text of a room) must not fill memory, and they cost little to redo. Owned by
    one index, so there is no global state."""

    def __init__(self, max_words: int, max_entries: int) -> None:
        self._max_words = max_words
        self._max = max_entries
        self._entries = 0
        self._data: OrderedDict[str, _WordMatch] = OrderedDict()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: str) -> _WordMatch | None:
        found = self._data.get(key)
        if found is not None:
            self._data.move_to_end(key)
        return found

    def put(self, key: str, value: _WordMatch) -> None:
        size = value.levels.size
        if not size or size > self._max or key in self._data or not self._max_words:
            return
        self._data[key] = value
        self._entries += size
        while self._entries > self._max or len(self._data) > self._max_words:
            _, old = self._data.popitem(last=False)
            self._entries -= old.levels.size


class _Affixes:
    """Sorted word forms and their reversals, to find the compounds a word begins or ends."""

    def __init__(self, forms: Iterable[str]) -> None:
        self._forward = sorted(f for f in forms if len(f) > 3)
        self._backward = sorted(f[::-1] for f in self._forward)

    def longer_with_prefix(self, prefix: str) -> Iterator[str]:
        yield from _scan(self._forward, prefix, lambda s: s)

    def longer_with_suffix(self, suffix: str) -> Iterator[str]:
        yield from _scan(self._backward, suffix[::-1], lambda s: s[::-1])

    def around(self, form: str) -> list[str]:
        return [*self.longer_with_prefix(form), *self.longer_with_suffix(form)]

    def starting_with(self, head: str) -> int:
        """How many of the forms begin with `head`."""
        start = bisect_left(self._forward, head)
        return bisect_left(self._forward, head + "\U0010ffff", start) - start

    def ending_with(self, tail: str) -> int:
        """How many of the forms end in `tail`."""
        reverse = tail[::-1]
        start = bisect_left(self._backward, reverse)
        return bisect_left(self._backward, reverse + "\U0010ffff", start) - start


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _shared(length: int, count: int) -> bool:
    """A front or last part of `length` letters that `count` KB forms share: a word in its
    own right, although the KB never writes it alone."""
    return length >= AFFIX_MIN_LENGTH and count >= 2


def _scan(ordered: list[str], prefix: str, restore: Callable[[str], str]) -> Iterator[str]:
    found = 0
    for i in range(bisect_left(ordered, prefix), len(ordered)):
        candidate = ordered[i]
        if not candidate.startswith(prefix) or found >= AFFIX_CAP:
            return
        # A compound adds at least a syllable; "lage" → "lager" is another word.
        if len(candidate) >= len(prefix) + 3:
            found += 1
            yield restore(candidate)


# -- the index -------------------------------------------------------------------------------


class DirectoryIndex:
    """Built once per KB version; `search` and `closest_topics` never modify the KB.

    Not thread-safe (the caches and the Snowball stemmer are not): use one index from one
    thread, e.g. the bot's event loop, or build one per thread."""

    def __init__(self, kb: KnowledgeBase, cache_words: int = CACHE_WORDS) -> None:
        self._norm = Normaliser()
        self._networks: tuple[Network, ...] = kb.networks
        by_id = sorted(range(len(kb.networks)), key=lambda p: kb.networks[p].id)
        self._id_rank = [0] * len(kb.networks)
        for rank, position in enumerate(by_id):
            self._id_rank[position] = rank
        self._by_id = by_id
        self._stem_of: dict[str, str] = {}  # stems of the KB's words, filled while building
        self._analyses: list[_Analysis] = []
        self._analysed: dict[str, int] = {}  # only while building
        self._codes: set[str] = set()  # abbreviations the KB writes: "ERP", "LkSG", "NIS2"
        self._building: tuple[_Building, _Building, _Building, _Building] = ({}, {}, {}, {})
        self._phrases = [self._index_network(p, n) for p, n in enumerate(kb.networks)]
        exact, stem, phrase_exact, phrase_stem = self._building
        self._exact: dict[str, Posting] = _seal(exact)
        self._stem: dict[str, Posting] = _seal(stem)
        self._phrase_exact: dict[tuple[str, ...], Posting] = _seal(phrase_exact)
        self._phrase_stem: dict[tuple[str, ...], Posting] = _seal(phrase_stem)
        self._analysed, self._building = {}, ({}, {}, {}, {})
        self._topic_words: dict[str, list[str]] = {}  # a topic's word → topics holding it
        self._topic_choices = self._distinct_topics()
        self._topic_fronts = sorted(self._topic_words)
        self._topic_ends = sorted(w[::-1] for w in self._topic_words)

        self._synonyms = [[tuple(self._norm.words(m)) for m in group] for group in kb.synonyms]
        for written in (m for group in kb.synonyms for m in group):
            self._codes.update(fold(w) for w in _WORD_CHARS.findall(written) if _is_code(w))
        self._synonym_keys: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        self._synonym_members: dict[str, list[tuple[int, int]]] = {}
        for g, group in enumerate(self._synonyms):
            for m, member in enumerate(group):
                for key in self._member_keys(member):
                    self._synonym_keys.setdefault(key, []).append((g, m))
                for form in {f for w in member for f in (w.text, *w.parts)}:
                    self._synonym_members.setdefault(form, []).append((g, m))

        forms = set(self._exact) | set(self._synonym_members)
        stems = set(self._stem) | {self._kb_stem(f) for f in self._synonym_members}
        known = {
            w
            for w in forms | stems
            if w not in STOP_WORDS and (len(w) >= 3 or any(c.isdigit() for c in w))
        }
        modifiers = infer_modifiers(forms, known, self.stem)
        self._words = frozenset(known)
        # Abbreviations join compounds with a hyphen ("ERP-System"); inside a word written
        # together "erp" is letters of other words ("Druck|erp|atronen" is "Druckerpatronen").
        self._splitter = CompoundSplitter(
            self._words - self._codes, self.stem, frozenset(modifiers) - self._codes
        )
        self._forms = _Affixes(self._exact)
        self._stems = _Affixes(self._stem)
        self._synonym_forms = _Affixes(self._synonym_members)
        # Typo candidates by (length, first letter) and (length, last two letters): a word
        # one edit away keeps its first letter or its last two, so nothing at distance 1 is
        # lost, and rapidfuzz compares against a few hundred words instead of all of them.
        self._fuzzy_heads: dict[tuple[int, str], list[str]] = {}
        self._fuzzy_tails: dict[tuple[int, str], list[str]] = {}
        for form in sorted(forms):
            if len(form) >= 4 and not any(c.isdigit() for c in form):  # codes have no typos
                self._fuzzy_heads.setdefault((len(form), form[0]), []).append(form)
                self._fuzzy_tails.setdefault((len(form), form[-2:]), []).append(form)

        self._word_cache = _SizedCache(cache_words, CACHE_ENTRIES)
        self._member_cache: dict[tuple[int, int], _WordMatch] = {}  # bounded by the KB
        self._fuzzy_cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._fuzzy_cache_size = 4096 if cache_words else 0

    @classmethod
    def build(cls, kb: KnowledgeBase, cache_words: int = CACHE_WORDS) -> DirectoryIndex:
        return cls(kb, cache_words=cache_words)

    @property
    def cached_words(self) -> int:
        """How many word matches the cache holds (for tests and the benchmark)."""
        return len(self._word_cache)

    # -- building ------------------------------------------------------------------------

    def stem(self, form: str) -> str:
        """Stem of a folded word; remembered only for the KB's own words, so arbitrary
        queries cannot grow the index."""
        stem = self._stem_of.get(form)
        return stem if stem is not None else self._norm.stem(form)

    def _kb_stem(self, form: str) -> str:
        stem = self._stem_of.get(form)
        if stem is None:
            stem = self._stem_of[form] = self._norm.stem(form)
        return stem

    def _analyse(self, text: str) -> int:
        """Words, forms and stems of a KB phrase, by number; shared by repeated phrases."""
        number = self._analysed.get(text)
        if number is None:
            self._codes.update(fold(w) for w in _WORD_CHARS.findall(text) if _is_code(w))
            words = self._norm.words(text)
            tokens: set[str] = set()
            for word in words:
                tokens.add(word.text)
                if word.hyphenated:
                    tokens.update(p for p in word.parts if len(p) >= 2)
            flat = tuple(p for w in words for p in w.parts)
            stems = {self._kb_stem(t) for t in tokens}
            self._analyses.append(
                (
                    tuple(tokens),
                    tuple(stems),
                    flat,
                    tuple(self._kb_stem(p) for p in flat),
                    " ".join(w.text for w in words),
                )
            )
            number = self._analysed[text] = len(self._analyses) - 1
        return number

    def _index_network(self, position: int, network: Network) -> tuple[_Phrase, ...]:
        phrases: list[_Phrase] = []
        exact, stem, phrase_exact, phrase_stem = self._building
        for field_, text, contact in _fields_of(network):
            weight = FIELD_WEIGHT[field_]
            number = self._analyse(text)
            tokens, stems, flat, flat_stems, _ = self._analyses[number]
            _post(exact, tokens, position, weight)
            _post(stem, stems, position, weight)
            if field_ == Field.DESCRIPTION or not flat:
                continue
            _post(phrase_exact, (flat,), position, weight)
            _post(phrase_stem, (flat_stems,), position, weight)
            phrases.append((text, int(field_), contact, number))
        return tuple(phrases)

    def _member_keys(self, member: tuple[Word, ...]) -> set[tuple[str, ...]]:
        keys = {tuple(self.stem(p) for w in member for p in w.parts)}
        if len(member) == 1:
            keys.add((self.stem(member[0].text),))
        return keys

    def _distinct_topics(self) -> dict[str, str]:
        """Folded topic → its first spelling, for `closest_topics`; also fills the map of
        the topics' words to the topics that hold them."""
        choices: dict[str, str] = {}
        for phrases in self._phrases:
            for text, field_, _, number in phrases:
                key = self._analyses[number][4]
                if field_ not in EXPLAINED_FIELDS or key in choices:
                    continue
                choices[key] = text
                for form in self._analyses[number][0]:
                    if len(form) >= 3:
                        self._topic_words.setdefault(form, []).append(key)
        return choices

    # -- matching one word ---------------------------------------------------------------

    def _word(self, word: Word, guesses: bool = True) -> _WordMatch:
        """Everything one query word matches, cached (queries repeat words). Without
        `guesses`, only what the KB says: no split leaving a piece unknown, only close typo
        corrections (see "Plain questions" in the module docstring)."""
        key = ("" if guesses else "=") + "-".join(word.parts)  # "=" is in no folded word
        cached = self._word_cache.get(key)
        if cached is not None:
            return cached
        match = self._as_written(word)
        found_directly = bool(match.sources)
        self._add_affixes(match, word.text)
        if not found_directly:
            self._add_synonym_compounds(match, word.text)
            if not word.hyphenated:
                for other in alternated(self.stem(word.text)):
                    match.merge(self._alternation(other, guesses), ALTERNATION)
            corrections = self._corrections(word.text)
            if not guesses:
                corrections = tuple(c for c in corrections if _close_typo(word.text, c))
            # "PV-Anlage": by its parts, each a word of its own; splitting "pvanlage" anew
            # would not know that "PV" is a synonym.
            match.merge(
                self._hyphen_parts(word, guesses)
                if word.hyphenated
                else self._compound(word.text, guesses, typo=bool(corrections))
            )
            for correction in corrections:
                match.merge(self._as_written(Word(correction, (correction,))), FUZZY)
        result = _WordMatch(match.levels(), frozenset(match.tokens), frozenset(match.stems))
        self._word_cache.put(key, result)
        return result

    def _alternation(self, form: str, guesses: bool) -> _Match:
        """A word with its vowel changed ("spritzguss" for "Spritzgießen"), matched as a
        query word would be, but without typo corrections: a guess on a guess."""
        match = self._as_written(Word(form, (form,)))
        if not match.sources:
            match.merge(self._compound(form, guesses))
        return match

    def _as_written(self, word: Word) -> _Match:
        """The word itself and its synonyms: what every way of matching a word starts from."""
        match = self._direct(word)
        self._add_synonyms(match, self._member_keys((word,)), SYNONYM)
        return match

    def _direct(self, word: Word) -> _Match:
        """Whole topic, exact form or stem; a hyphenated word also by its parts."""
        match = _Match()
        self._add_form(match, word.text, EXACT, STEM)
        if (posting := self._phrase_exact.get(word.parts)) is not None:
            match.add(posting, PHRASE)
        elif posting := self._phrase_stem.get(tuple(self.stem(p) for p in word.parts)):
            match.add(posting, STEM_PHRASE)
        parts = [p for p in word.parts if len(p) >= 2] if word.hyphenated else []
        if parts:
            # "IT-Sicherheit" against "IT Sicherheit": each part counts for its share.
            singles = []
            for part in parts:
                single = _Match()
                self._add_form(single, part, EXACT, STEM)
                match.tokens |= single.tokens
                match.stems |= single.stems
                singles.append(single.levels())
            match.sources.extend(_sum_of(singles, 1 / len(parts)).levels)
        return match

    def _hyphen_parts(self, word: Word, guesses: bool = True) -> _Match:
        """Each part of "PV-Anlage" matched as a word of its own (PV by its synonyms); the
        parts' scores count by their shares (`part_weights`)."""
        match = _Match()
        parts = [p for p in word.parts if len(p) >= 2]
        if len(parts) < 2:
            return match
        levels = []
        for part in parts:
            found = self._word(Word(part, (part,)), guesses)
            match.tokens |= found.tokens
            match.stems |= found.stems
            levels.append(found.levels)
        shares = part_weights([len(p) for p in parts], [bool(f.size) for f in levels], False)
        match.sources.extend(_weighted_sum(levels, shares).levels)
        return match

    def _add_form(
        self, match: _Match, form: str, exact: float, stemmed: float, prose: bool = True
    ) -> None:
        if (posting := self._exact.get(form)) is not None:
            match.add(posting, exact, prose)
            match.tokens.add(form)
        stem = self.stem(form)
        if (posting := self._stem.get(stem)) is not None:
            match.add(posting, stemmed, prose)
            match.stems.add(stem)

    def _add_affixes(self, match: _Match, form: str, min_length: int = AFFIX_MIN_LENGTH) -> None:
        """KB compounds that begin or end with the word: "Recycling" → "Kunststoffrecycling"."""
        if len(form) < min_length:
            return
        for found in self._compounds_around(self._forms, form):
            match.add(self._exact[found], COMPOUND, prose=False)
            match.tokens.add(found)
        stem = self.stem(form)
        if len(stem) >= AFFIX_MIN_LENGTH:  # short stems end too much: "las" (Laser) ~ "glas"
            for found in self._compounds_around(self._stems, stem):
                match.add(self._stem[found], COMPOUND, prose=False)
                match.stems.add(found)

    def _compounds_around(self, affixes: _Affixes, part: str) -> Iterator[str]:
        """The KB compounds that begin or end with `part` *as a word*: what is left must be
        a word of the KB as well (Kunststoff|recycling, Lieferkette|n|gesetz), or a front
        or last part several KB compounds share (Innovations|förderung like
        Innovations|labor, Raum|fahrt like Luft|fahrt). So "Lage" is no part of "Verlage",
        "Druck" none of "Fußabdruck", "Lage" none of "Lagerlogistik". A part of five letters
        or more may begin any compound ("Tagung" → "Tagungsstandort"), one of seven or more
        end any ("Recycling" → "Textilrecycling"): words that long rarely begin or end an
        unrelated word, unless only a prefix is left ("ver|ordnung")."""
        for found in affixes.longer_with_prefix(part):
            rest = found[len(part) :]
            rests = [rest, *(rest[len(f) :] for f in FUGEN if rest.startswith(f))]
            if len(part) >= FRONT_MIN_LENGTH or any(
                self._is_word(r) or (r not in ENDINGS and _shared(len(r), affixes.ending_with(r)))
                for r in rests
            ):
                yield found
        for found in affixes.longer_with_suffix(part):
            rest = found[: -len(part)]
            rests = [rest, *(rest[: -len(f)] for f in FUGEN if rest.endswith(f))]
            if (
                (len(part) >= HEAD_MIN_LENGTH and rest not in _PREFIXES)
                or any(self._is_word(r) for r in rests)
                or _shared(len(rest), affixes.starting_with(rest))
            ):
                yield found

    def _is_word(self, text: str) -> bool:
        if len(text) < 3 or text in STOP_WORDS:
            return False
        if text in self._words:
            return True
        stem = self.stem(text)
        return len(stem) >= AFFIX_MIN_LENGTH and stem in self._words

    def _add_synonyms(self, match: _Match, keys: set[tuple[str, ...]], factor: float) -> None:
        for key in keys:
            for g, m in self._synonym_keys.get(key, ()):
                for other in range(len(self._synonyms[g])):
                    if other != m:
                        self._add_member(match, g, other, factor)

    def _add_synonym_compounds(self, match: _Match, form: str) -> None:
        """The word begins or ends a synonym ("Solar" → "Solarenergie"): that group counts,
        as a compound part of a synonym."""
        if len(form) < AFFIX_MIN_LENGTH:
            return
        around = self._compounds_around(self._synonym_forms, form)
        groups = {g for f in around for g, _ in self._synonym_members[f]}
        for g in sorted(groups):
            for m in range(len(self._synonyms[g])):
                self._add_member(match, g, m, SYNONYM * COMPOUND)

    def _add_member(self, match: _Match, group: int, member: int, factor: float) -> None:
        found = self._member(group, member)
        match.sources.extend(found.levels.scaled(factor))
        match.tokens |= found.tokens
        match.stems |= found.stems

    def _member(self, group: int, member: int) -> _WordMatch:
        """How a synonym group member matches, as if it had been the query."""
        cached = self._member_cache.get((group, member))
        if cached is not None:
            return cached
        words = self._synonyms[group][member]
        match = _Match()
        per_word = []
        for word in words:
            single = self._direct(word)
            self._add_affixes(single, word.text)
            match.tokens |= single.tokens
            match.stems |= single.stems
            per_word.append(single.levels())
        if len(words) == 1:
            match.sources.extend(per_word[0].levels)
        elif words:  # every word must match; the phrase as a whole counts most
            match.sources.extend(_sum_of(per_word, 1 / len(words), require_all=True).levels)
            flat = tuple(p for w in words for p in w.parts)
            if (posting := self._phrase_exact.get(flat)) is not None:
                match.add(posting, PHRASE)
            elif posting := self._phrase_stem.get(tuple(self.stem(p) for p in flat)):
                match.add(posting, STEM_PHRASE)
        result = _WordMatch(match.levels(), frozenset(match.tokens), frozenset(match.stems))
        self._member_cache[(group, member)] = result
        return result

    def _compound(self, form: str, guesses: bool = True, typo: bool = False) -> _Match:
        """Split an unknown compound into KB words; each part scores for its share. Without
        `guesses`, a piece may be unknown only after a sure front ("Pflege|heime" is about
        Pflege): "moul|ding" is no kind of "Ding", and "trans|lation" begins with a front
        the KB puts before no word (`_sure_split`). A `typo` of a KB word is that word
        mistyped, so no piece may be unknown: "Medizintechnick" is no Medizin + Tech +
        "nick", which would bring the "Tech" of "Technische Keramik" along."""
        match = _Match()
        pieces = self._splitter.segment(form)
        if not pieces:
            return match
        known = all(piece.known for piece in pieces)
        if not (known if typo else guesses or self._sure_split(pieces)):
            return match
        parts, weights = [], []
        shares = part_weights(
            [len(piece.text) for piece in pieces], [piece.known for piece in pieces], True
        )
        for piece, share in zip(pieces, shares, strict=True):
            if piece.known:  # unknown pieces ("?heime") count as not matched
                part = self._piece(piece.text)
                match.tokens |= part.tokens
                match.stems |= part.stems
                parts.append(part.levels)
                weights.append(share)
        match.sources.extend(_weighted_sum(parts, weights).levels)
        return match

    def _sure_split(self, pieces: list[Piece]) -> bool:
        """Every piece known, or the first one a sure front: the front names the subject."""
        return all(piece.known for piece in pieces) or self._sure_front(pieces[0].text)

    def _sure_front(self, front: str) -> bool:
        """A KB word, or a front the KB itself puts before a KB word ("wind" of
        "Windenergie", "elektro" of "Elektromobilität"); not one the vocabulary merely
        suggests, such as "trans" of "Transport" and "Transformation"."""
        if front in self._words:
            return True
        for found in self._forms.longer_with_prefix(front):
            rest = found[len(front) :]
            if any(
                self._is_word(r)
                for r in (rest, *(rest[len(f) :] for f in FUGEN if rest.startswith(f)))
            ):
                return True
        return False

    def _piece(self, text: str) -> _WordMatch:
        """A known part of a split compound; cached, as the same heads ("…beratung",
        "…technik") come back in many compounds."""
        key = "\0" + text  # cannot collide with a query word's key
        cached = self._word_cache.get(key)
        if cached is not None:
            return cached
        # Matched as a query word would be (so the "Recycling" of "Recyclinganlagen" finds
        # the topic "Recycling" before "Glasrecycling"), but without typo corrections or
        # further splitting. Its share of the word is discount enough.
        part = self._as_written(Word(text, (text,)))
        # A piece proved to be a word may also end a KB compound even when short: the
        # "Bau" of "Holzhausbau" ~ "Holzbau". "Solar" of "Solarpark" begins a synonym.
        self._add_affixes(part, text, min_length=3)
        self._add_synonym_compounds(part, text)
        result = _WordMatch(part.levels(), frozenset(part.tokens), frozenset(part.stems))
        self._word_cache.put(key, result)
        return result

    def _corrections(self, form: str) -> tuple[str, ...]:
        """Vocabulary words within the typo distance of `form`, nearest first."""
        cached = self._fuzzy_cache.get(form)
        if cached is not None:
            return cached
        limit = 0 if len(form) < 5 else 1 if len(form) < 8 else 2
        found: list[tuple[int, str]] = []
        if limit:
            candidates = self._fuzzy_candidates(form, limit)
            for choice, distance, _ in process.extract(
                form, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                if choice != form:
                    found.append((int(distance), choice))
        found.sort()
        best = tuple(c for d, c in found if d == found[0][0])[:3] if found else ()
        if self._fuzzy_cache_size:
            self._fuzzy_cache[form] = best
            if len(self._fuzzy_cache) > self._fuzzy_cache_size:
                self._fuzzy_cache.popitem(last=False)
        return best

    def _fuzzy_candidates(self, form: str, limit: int) -> list[str]:
        """Vocabulary words that may be within `limit` edits of `form`."""
        candidates: dict[str, None] = {}
        for length in range(len(form) - limit, len(form) + limit + 1):
            candidates.update(dict.fromkeys(self._fuzzy_heads.get((length, form[0]), ())))
            candidates.update(dict.fromkeys(self._fuzzy_tails.get((length, form[-2:]), ())))
        return list(candidates)

    # -- queries -------------------------------------------------------------------------

    def search(self, query: str, limit: int = 3, *, guesses: bool = True) -> list[Hit]:
        """The networks best matching `query`, best first; empty if nothing matches.

        `query` is a topic ("Wasserstofftankstellen") or a longer text, such as a request
        filed as a ticket; see "Texts" in the module docstring. `guesses=False` is for a
        plain question, asked of nobody in particular: see "Plain questions" there."""
        query = query[:MAX_QUERY_CHARS]
        text = len(tokenize(query)) > MAX_TOPIC_LENGTH
        words = _distinct(self._norm.words(query, prose=text))
        if not words or limit < 1:
            return []
        matches = [self._word(w, guesses) for w in words]
        slots = [m.levels for m in matches]
        tokens = [set(m.tokens) for m in matches]
        stems = [set(m.stems) for m in matches]
        for start, end, span in self._spans(words):
            for slot in range(start, end):
                slots[slot] = _best_of([*slots[slot].levels, *span.levels.levels])
                tokens[slot] |= span.tokens
                stems[slot] |= span.stems
        if text:
            kept = self._subjects(words, slots)
        else:  # words the KB does not know at all ("in Gera") say nothing about networks
            kept = [i for i, slot in enumerate(slots) if slot.levels]
        subjects = [slots[i] for i in kept]
        if text:  # a wider pool to spread over the text's subjects
            ranked = _spread(self._rank(subjects, limit * SPREAD_POOL, text), subjects, limit)
        else:
            ranked = self._rank(subjects, limit, text)
        used_tokens = set().union(*(tokens[i] for i in kept))
        used_stems = set().union(*(stems[i] for i in kept))
        hits = [self._hit(net, score, used_tokens, used_stems) for net, score in ranked]
        if not guesses:  # running text holds words by the way: "Jena", "Weg", "Organisation"
            hits = [h for h in hits if h.matched or any(f != "description" for f, _ in h.fields)]
        return hits

    def _subjects(self, words: list[Word], slots: list[_Levels]) -> list[int]:
        """The words of a text that say what it is about: those matching some network with
        more than a description alone gives (SUBJECT_SCORE, idf included), the
        MAX_QUERY_WORDS strongest of them (then the longest), in text order. The other words
        are the text's prose."""
        strength = [self._idf(s.size) * s.levels[0][0] if s.levels else 0.0 for s in slots]
        strong = [i for i, value in enumerate(strength) if value >= SUBJECT_SCORE - TIE]
        strong.sort(key=lambda i: (-strength[i], -len(words[i].text), i))
        return sorted(strong[:MAX_QUERY_WORDS])

    def _idf(self, size: int) -> float:
        total = len(self._networks)
        return 0.5 + 0.5 * math.log((total + 1) / size) / math.log(total + 1)

    def _spans(self, words: list[Word]) -> Iterator[tuple[int, int, _WordMatch]]:
        """Runs of consecutive query words that form a whole topic or a synonym member:
        each word of the run gets the run's score."""
        for start in range(len(words)):
            for end in range(start + 2, min(len(words), start + MAX_PHRASE_WORDS) + 1):
                flat = tuple(p for w in words[start:end] for p in w.parts)
                stems = tuple(self.stem(p) for p in flat)
                span = _Match()
                if (posting := self._phrase_exact.get(flat)) is not None:
                    span.add(posting, PHRASE)
                elif (posting := self._phrase_stem.get(stems)) is not None:
                    span.add(posting, STEM_PHRASE)
                self._add_synonyms(span, {stems}, SYNONYM)
                if span.sources:
                    yield (
                        start,
                        end,
                        _WordMatch(span.levels(), frozenset(span.tokens), frozenset(span.stems)),
                    )

    def _rank(self, slots: list[_Levels], limit: int, text: bool) -> list[tuple[int, float]]:
        """The best networks with their scores (formula in the module docstring).

        Networks that share a combination of score levels across the query words share a
        score, so the combinations are walked (by set operations) instead of the networks,
        best levels first, and a branch is left as soon as it cannot reach the best ones."""
        n = len(slots)
        active = sorted((s for s in slots if s.levels), key=lambda s: s.size)
        if not active:
            return []
        idf = [self._idf(s.size) for s in active]
        reachable = [0.0] * (len(active) + 1)  # the most the remaining words can add
        for k in range(len(active) - 1, -1, -1):
            reachable[k] = reachable[k + 1] + idf[k] * active[k].levels[0][0]
        # A text's scores are scaled once its best network is known: no absolute bar yet.
        best = _Best(limit, 0.0 if text else MIN_SCORE)
        remaining = len(active)

        def admit(depth: int, score: float, covered: int) -> bool:
            # The most this branch can still reach: all further words at their best level.
            bound = math.sqrt((covered + remaining - depth) / n) * (score + reachable[depth]) / n
            return best.admits(bound)

        leaves: list[tuple[float, int, AbstractSet[int]]] = []
        for score, covered, nets in _combinations(active, idf, admit=admit):
            final = math.sqrt(covered / n) * score / n
            leaves.append((final, covered, nets))
            best.add(final, len(nets))
        if not leaves:
            return []
        leaves.sort(key=lambda leaf: -leaf[0])
        scale = 1.0
        if text:  # as if the text held only the words its best network matched
            scale = (n / leaves[0][1]) ** 1.5
        floor = max(
            leaves[0][0] * MIN_RELATIVE_SCORE, (TEXT_MIN_SCORE if text else MIN_SCORE) / scale - TIE
        )
        ranked: list[tuple[int, float]] = []
        i = 0
        while i < len(leaves) and len(ranked) < limit and leaves[i][0] >= floor:
            score, _, tied = leaves[i]
            i += 1
            while i < len(leaves) and score - leaves[i][0] <= TIE:
                tied = tied | leaves[i][2]
                i += 1
            if not ranked and len(tied) > 1 and score * scale < CONFIDENT_SCORE - TIE:
                return []  # a weak guess that only the id order would pick: no answer
            ranked.extend(
                (net, min(1.0, score * scale))
                for net in self._first_by_id(tied, limit - len(ranked))
            )
        return ranked

    def _first_by_id(self, nets: AbstractSet[int], count: int) -> list[int]:
        if len(nets) * 8 < len(self._by_id):
            return heapq.nsmallest(count, nets, key=self._id_rank.__getitem__)
        # A big tie ("Beratung" offered everywhere): walk the ids until enough are found.
        found: list[int] = []
        for net in self._by_id:
            if net in nets:
                found.append(net)
                if len(found) == count:
                    break
        return found

    def _hit(self, position: int, score: float, tokens: set[str], stems: set[str]) -> Hit:
        network = self._networks[position]
        matched: list[str] = []
        by_topic: list[int] = []  # contacts whose own topics matched, in order of matching
        by_role: list[int] = []
        for text, field_, contact, number in self._phrases[position]:
            forms, form_stems = self._analyses[number][:2]
            if tokens.isdisjoint(forms) and stems.isdisjoint(form_stems):
                continue
            if field_ in EXPLAINED_FIELDS and text not in matched:
                matched.append(text)
            if contact is not None:
                found = by_topic if field_ == Field.CONTACT_TOPIC else by_role
                found.append(contact)
        first = list(dict.fromkeys((*by_topic, *by_role)))
        rest = [c for c in range(len(network.contacts)) if c not in first]
        return Hit(
            network_id=network.id,
            score=round(score, 4),
            matched=matched,
            contacts=[network.contacts[c] for c in (*first, *rest)],
            fields=[] if matched else self._other_fields(position, tokens, stems),
        )

    def _other_fields(
        self, position: int, tokens: set[str], stems: set[str]
    ) -> list[tuple[str, str]]:
        """Why a network matched that no topic, offer or contact topic explains: its name,
        a contact's role, words of its description ("Lasern" → photonik)."""
        found: list[tuple[str, str]] = []
        for text, field_, _, number in self._phrases[position]:
            label = _FIELD_LABELS.get(Field(field_))
            if label is None or (label == "name" and any(seen == "name" for seen, _ in found)):
                continue  # one name is enough (short or full)
            forms, form_stems = self._analyses[number][:2]
            if not (tokens.isdisjoint(forms) and stems.isdisjoint(form_stems)):
                found.append((label, text))
        description = self._networks[position].description
        if description:
            words = [
                written
                for written, word in written_words(description)
                if word.text not in STOP_WORDS
                and any(f in tokens or self.stem(f) in stems for f in (word.text, *word.parts))
            ]
            if words:
                found.append(("description", ", ".join(dict.fromkeys(words))))
        return found

    def closest_topics(self, query: str, n: int = 5) -> list[str]:
        """KB topics with a word like one of the query's, for "nothing found — similar
        topics: …": spelled alike (a typo too far for the search, "Fotovoltaic"), or with
        the same front or end making up half of the shorter word ("Biogas" ~ "Bioenergie",
        "Lasermesstechnik" ~ "Optische Messtechnik"). Most alike first; none when nothing
        is alike ("Kaffee"), rather than the least unlike."""
        words = self._norm.words(query[:MAX_QUERY_CHARS])
        if n < 1:
            return []
        best: dict[str, float] = {}
        for form in dict.fromkeys(f for w in words for f in (w.text, *w.parts) if len(f) >= 3):
            for similar, similarity in self._similar_topic_words(form):
                for key in self._topic_words[similar]:
                    best[key] = max(best.get(key, 0.0), similarity)
        ranked = sorted(best, key=lambda key: (-best[key], key))
        return [self._topic_choices[key] for key in ranked[:n]]

    def _similar_topic_words(self, form: str) -> Iterator[tuple[str, float]]:
        """Topic words like `form`, with a similarity from 0 to 1."""
        for choice, score, _ in process.extract(
            form, self._topic_fronts, scorer=fuzz.ratio, score_cutoff=SIMILAR_SPELLING, limit=None
        ):
            yield choice, score / 100
        for ordered, word, fronts in (
            (self._topic_fronts, form, True),
            (self._topic_ends, form[::-1], False),
        ):
            # Common ends shorter than five letters are endings or short heads ("-werk" of
            # "Klärwerk" and "Handwerk"), not a likeness.
            shortest = 3 if fronts else 5
            start = bisect_left(ordered, word[:shortest])
            for i in range(start, len(ordered)):
                other = ordered[i]
                if not other.startswith(word[:shortest]):
                    break
                common = _common_prefix(word, other)
                shared = word[:common] if fronts else word[:common][::-1]
                enough = 2 * common >= min(len(word), len(other)) or common >= LONG_PART
                if enough and shared not in ENDINGS:
                    yield (other if fronts else other[::-1]), common / max(len(word), len(other))


_WORD_CHARS = re.compile(r"[^\W_]+")


def _is_code(word: str) -> bool:
    """An abbreviation as written: two capitals or more and no run of three small letters
    ("ERP", "LkSG", "IoT", "NIS2"; not "MedTech")."""
    if len(word) > 6 or sum(c.isupper() for c in word) < 2:
        return False
    return not any(word[i : i + 3].islower() for i in range(len(word) - 2))


def _close_typo(word: str, correction: str) -> bool:
    """A typo correction sure enough for a plain question: of a long word, at most one edit
    in CLOSE_TYPO_SHARE letters ("Medizintechnick", "Fotovoltaik") or only the ending
    ("robotics" ~ "Robotik"). Shorter words one edit apart are often other words ("Lagern"
    ~ "Lasern"), and two edits in eight letters make another word as easily."""
    if len(word) < CLOSE_TYPO_LENGTH:
        return False
    ending = max(len(word), len(correction)) - _common_prefix(word, correction)
    edits = OSA.distance(word, correction)
    return edits <= len(word) // CLOSE_TYPO_SHARE or ending <= CLOSE_TYPO_ENDING


def _distinct(words: list[Word]) -> list[Word]:
    """Each word once, where it first occurs: a repeated word is no stronger evidence."""
    first: dict[tuple[str, ...], Word] = {}
    for word in words:
        first.setdefault(word.parts, word)
    return list(first.values())


def _fields_of(network: Network) -> Iterator[tuple[Field, str, int | None]]:
    for topic in network.topics:
        yield Field.TOPIC, topic, None
    for offer in network.offers:
        yield Field.OFFER, offer, None
    for c, contact in enumerate(network.contacts):
        for topic in contact.topics:
            yield Field.CONTACT_TOPIC, topic, c
        if contact.role:
            yield Field.ROLE, contact.role, c
    if network.short:
        yield Field.SHORT, network.short, None
    yield Field.NAME, network.name, None
    if network.description:
        yield Field.DESCRIPTION, network.description, None


def _post(index: _Building, keys: Iterable[Any], position: int, weight: float) -> None:
    """Add a network to the posting lists of `keys` (the build's innermost loop)."""
    for key in keys:
        posting = index.get(key)
        if posting is None:
            index[key] = {weight: {position}}
            continue
        nets = posting.get(weight)
        if nets is None:
            posting[weight] = {position}
        else:
            nets.add(position)


def _seal(index: _Building) -> dict[Any, Posting]:
    return {key: {w: tuple(nets) for w, nets in p.items()} for key, p in index.items()}
