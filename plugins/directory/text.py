"""German text normalisation for the directory search.

Everything that the index and the queries must see identically lives here:

* `fold` — casefold and spell umlauts out (ä→ae, ö→oe, ü→ue, ß→ss), so "Wärme" and
  "Waerme" are the same string. Spelling out (rather than stripping to "a") keeps
  "Bäcker" and "Backer" apart; the stemmer still unites lazy "Warme" with "Wärme" because
  Snowball's German stemmer reads "ae" as "ä" and drops umlauts itself.
* `tokenize` — words with their hyphen parts: "CO2-Fußabdruck" is one word "co2fussabdruck"
  with parts ("co2", "fussabdruck"), so both the joined and the split spelling are found.
  Digits stay inside words ("co2", "3d", "h2"); version numbers like "4.0" stay whole.
* `STOP_WORDS` — question and filler words (German and English) that say nothing about
  the topic: "Wer ist zuständig für …", "who handles …", "Firma", "Partner".
* `Normaliser` — owns the Snowball stemmer (not thread-safe, so one per index, no global).
* `CompoundSplitter` — splits a word into parts known from the KB's own vocabulary
  ("wasserstofftankstelle" → "wasserstoff" + "tankstelle"), handling linking elements
  (Fugen-s/-n/-en: "lieferkettengesetz" → "lieferkette" + "gesetz").
* `alternated` — the other vowel of a strong verb ("Spritzgießen" ~ "Spritzguss").
* `infer_modifiers` — learns compound fronts from the vocabulary ("laser" from
  "lasertechnik" next to "messtechnik"), so that "Laserschweißen" can be split too.

English words go through the German stemmer as well; for the English this bot sees
("sensors", "networks") that is close enough, and a second stemmer would have to guess
the language of single words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import NamedTuple

import Stemmer

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

# A piece is a run of letters/digits, or a decimal like "4.0"; hyphens (also the Unicode
# ones) join pieces into one word. A trailing hyphen ("Maschinen- und Anlagenbau") is dropped.
_PIECE = r"(?:\d+(?:[.,]\d+)+|[^\W_]+)"
_WORD = re.compile(rf"{_PIECE}(?:[-‐‑]{_PIECE})*")
_HYPHENS = re.compile(r"[-‐‑]")


def fold(text: str) -> str:
    """Lower-case, umlauts spelled out, other accents dropped ("Café" → "cafe")."""
    folded = text.casefold().translate(_UMLAUTS)
    if folded.isascii():  # the common case, and the index folds every phrase it holds
        return folded
    folded = unicodedata.normalize("NFC", folded).translate(_UMLAUTS)  # "u" + U+0308 → "ue"
    decomposed = unicodedata.normalize("NFKD", folded)  # also "²" → "2", "ﬁ" → "fi"
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Word(NamedTuple):
    """One word of a text, folded. `text` is the joined form, `parts` its hyphen parts
    (a single part, equal to `text`, for an ordinary word). A tuple, because an index
    build makes hundreds of thousands of them."""

    text: str
    parts: tuple[str, ...]

    @property
    def hyphenated(self) -> bool:
        return len(self.parts) > 1


def tokenize(text: str) -> list[Word]:
    """All words of `text`, folded, in order; nothing is dropped here."""
    folded = fold(text)
    pieces = _WORD.findall(folded)
    if not _HYPHENS.search(folded):  # the common case: no word to split
        return [Word(piece, (piece,)) for piece in pieces]
    words = []
    for piece in pieces:
        parts = tuple(p for p in _HYPHENS.split(piece) if p)
        words.append(Word("".join(parts), parts))
    return words


def written_words(text: str) -> list[tuple[str, Word]]:
    """The words of `text` as written, each with its folded `Word` (for showing which words
    of a text matched)."""
    found = []
    for match in _WORD.finditer(text):
        folded = tokenize(match.group())
        if len(folded) == 1:  # folding keeps a word one word, but be sure
            found.append((match.group(), folded[0]))
    return found


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Folded. Deliberately absent: "it" (IT), "art", "ki", "pv" — real topics in this domain.
STOP_WORDS: frozenset[str] = _word_set(
    """
    wer wen wem wessen was wie wo wobei womit wozu welche welcher welches welchen welchem
    ist sind war waren wird werden wurde hat haben hast habt hatte kann koennen koennte
    koennten muss muessen soll sollte darf moechte moechten mag will wollen wuerde
    zustaendig zustaendige zustaendigen zustaendiger zustaendigkeit verantwortlich
    kuemmert kuemmern kuemmere macht machen mache kennt kennen kenne auskennt aus ahnung
    weiss wissen erfahrung expertise hilft helfen hilfe beraten beraet unterstuetzt
    sich um fuer mit bei von vom zu zum zur der die das den dem des ein eine einen einem
    einer eines und oder sowie auch im in an am auf ueber unter nach vor durch gegen ohne
    bzw etc usw ich du er sie es wir ihr mir mich dir dich uns euch mein meine meinen
    unser unsere unseren euer eure jemand jemanden jemandem hier da dort denn doch mal
    gerne gern bitte danke hallo hi moin servus eigentlich genau etwas was so noch schon
    gibt geben suche suchen sucht gesucht brauche brauchen braucht benoetige benoetigen
    finden finde findet
    frage fragen thema themen themenbereich bereich bereiche gebiet richtige richtigen
    unternehmen firma firmen betrieb betriebe partner partnerin ansprechpartner
    ansprechpartnerin ansprechperson ansprechpartnern kontakt kontakte kontaktperson
    experte experten expertin netzwerk netzwerke netzwerks netzwerken cluster
    kompetenzzentrum verband verbaende thueringen thueringer
    ihre ihren ihrer ihrem sein seine seinen seiner deren dessen wegen trotz waehrend seit
    bis ob dass wenn weil aber nur dazu dabei darum ganz sehr mehr kein keine keinen
    andere anderen anderer anderes neue neuen neuer neues viele vielen einige
    weitere weiteren weiterer weiteres weiterem
    who whom whose what which where how is are was were be been does do did can could
    should would will handles handle handling handled responsible charge deals deal
    knows know knowing knowledge about for the a an of with on in to at by from and or
    any anyone someone somebody me my we our us you your i please hello there here
    expert experts contact contacts person people company companies firm network networks
    topic topics help helps partner partners looking look find finds need needs
    would their its this that
    """
)

# The prose of a request as filed ("Herr Meier hat angerufen und bittet um Rückruf nächste
# Woche"): left out of a longer text only. A topic asked for is taken as written, and the KB's
# own topics ("Tag der Industrie", "Mitarbeiterbindung") are indexed with these words.
PROSE_WORDS: frozenset[str] = _word_set(
    """
    woche wochen monat monate jahr jahre tag tage termin termine termins naechste naechsten
    naechster kommende kommenden letzte letzten
    herr frau gmbh ag kg ug mitarbeiter mitarbeitern mitarbeitende inhaber inhaberin anfrage
    anfragen angerufen anrufen ruft bittet bitten rueckruf plant planen wenden wuerden
    like regarding call back next week month year
    """
)


class Normaliser:
    """Folding, tokenising and stemming with one Snowball stemmer instance of its own."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("german")

    def stem(self, folded_word: str) -> str:
        """Snowball German stem of an already folded word (Sensoren/Sensorik → "sensor")."""
        return self._stemmer.stemWord(folded_word)

    def words(self, text: str, *, prose: bool = False) -> list[Word]:
        """The content words of `text`: stop words and one-letter words removed, with
        `prose` (a longer text, such as a request) the PROSE_WORDS too.

        A single word that is a stop word is kept ("Unternehmen", "Netzwerk" asked alone):
        then it is the topic. Several are just filler ("Etwas ganz anderes"): nothing."""
        words = [w for w in tokenize(text) if len(w.text) > 1]
        content = [
            w for w in words if w.text not in STOP_WORDS and not (prose and w.text in PROSE_WORDS)
        ]
        return words if not content and len(words) == 1 else content


# Linking elements between compound parts, longest first so "ens" is tried before "en".
FUGEN: tuple[str, ...] = ("ens", "es", "en", "er", "s", "n", "e")
MAX_SPLIT_LENGTH = 48  # longer "words" are not language; don't spend quadratic time on them
# An unknown stretch shorter than this is rather a typo's remnant ("Kunst|off") than a word.
MIN_UNKNOWN_PIECE = 4


@dataclass(frozen=True)
class Piece:
    text: str
    known: bool


class CompoundSplitter:
    """Splits words into parts from a known vocabulary (folded words and their stems).

    Dynamic programming over the positions of the word; among all segmentations the one with
    the fewest unknown letters wins, then the fewest parts, then the fewest linking letters,
    then the fewest parts known only as a stem (so "lieferkette"+"n" beats "lieferkett"+"en").
    The last part may be inflected ("…tankstellen"): it is also accepted when its stem is known.
    """

    def __init__(
        self,
        known: Collection[str],
        stem: Callable[[str], str],
        modifiers: Collection[str] = frozenset(),
        min_part: int = 3,
    ) -> None:
        self._known = known
        self._stem = stem
        self._modifiers = modifiers  # known only as the front of compounds ("laser…")
        self._min_part = min_part

    def split(self, word: str) -> list[str] | None:
        """All parts known and at least two of them, else None."""
        pieces = self._segment(word, allow_unknown=False)
        if pieces is None:
            return None
        return [p.text for p in pieces]

    def segment(self, word: str) -> list[Piece] | None:
        """Like `split`, but unknown stretches are allowed between known parts
        ("pflegeheime" → pflege + ?heime, "laserschweissen" → laser + ?schweissen); None
        unless known parts hold at least four letters and a quarter of the word (the parts'
        scores are weighed by their letters, so a small known part gives a weak match)."""
        pieces = self._segment(word, allow_unknown=True)
        if pieces is None:
            return None
        known_letters = sum(len(p.text) for p in pieces if p.known)
        return pieces if known_letters >= 4 and 4 * known_letters >= len(word) else None

    def _is_known(self, part: str, last: bool) -> tuple[bool, bool]:
        """(known, known only via its stem)."""
        if len(part) < self._min_part and not (len(part) >= 2 and any(c.isdigit() for c in part)):
            return False, False
        if part in self._known:
            return True, False
        if last:
            # By its stem only when the stem says enough: "lage" and "lager" share "lag".
            # The stem may also be a known front ("chips" ~ "chip" of "Chipdesign").
            stem = self._stem(part)
            found = len(stem) >= 4 and (stem in self._known or stem in self._modifiers)
            return (True, True) if found else (False, False)
        return (True, False) if part in self._modifiers else (False, False)

    def _segment(self, word: str, allow_unknown: bool) -> list[Piece] | None:
        n = len(word)
        if n < 2 * self._min_part or n > MAX_SPLIT_LENGTH:
            return None
        # best[flag][i]: cheapest way to cover word[:i] where the next part starts at i;
        # flag 1 = the last piece was unknown (two unknown pieces in a row make no sense).
        Cost = tuple[int, int, int, int]
        Entry = tuple[Cost, tuple[Piece, ...]]
        best: list[list[Entry | None]] = [[None] * (n + 1), [None] * (n + 1)]
        best[0][0] = ((0, 0, 0, 0), ())

        def offer(flag: int, pos: int, cost: Cost, pieces: tuple[Piece, ...]) -> None:
            current = best[flag][pos]
            if current is None or cost < current[0]:
                best[flag][pos] = (cost, pieces)

        for i in range(n):
            for flag in (0, 1):
                entry = best[flag][i]
                if entry is None:
                    continue
                (unknown, parts, fugen, stem_only), pieces = entry
                for j in range(i + 1, n + 1):
                    part = word[i:j]
                    known, via_stem = self._is_known(part, last=j == n)
                    if known:
                        cost = (unknown, parts + 1, fugen, stem_only + via_stem)
                        new = (*pieces, Piece(part, True))
                        offer(0, j, cost, new)
                        for link in FUGEN:
                            end = j + len(link)
                            if end < n and word.startswith(link, j):
                                offer(0, end, (cost[0], cost[1], fugen + len(link), cost[3]), new)
                    elif allow_unknown and flag == 0 and j - i >= MIN_UNKNOWN_PIECE:
                        cost = (unknown + j - i, parts + 1, fugen, stem_only)
                        offer(1, j, cost, (*pieces, Piece(part, False)))
        finals = [e for e in (best[0][n], best[1][n]) if e is not None]
        if not finals:
            return None
        _, pieces = min(finals, key=lambda e: e[0])
        if len(pieces) < 2 or not any(p.known for p in pieces):
            return None
        return list(pieces)


# Strong verbs change their vowel between verb and noun, so Snowball gives them different
# stems: "spritzgiessen" → "spritzgiess", "spritzguss" → "spritzguss". Folded stem ends,
# verb first; common in the names of trades and techniques (Spritzgießen/Spritzguss,
# Drohnenfliegen/Drohnenflug, Laserschneiden/Laserschnitt, Antrieb, Verbund, Abwurf).
ALTERNATIONS: tuple[tuple[str, str], ...] = (
    ("giess", "guss"),
    ("fliess", "fluss"),
    ("schliess", "schluss"),
    ("schiess", "schuss"),
    ("flieg", "flug"),
    ("zieh", "zug"),
    ("schneid", "schnitt"),
    ("schleif", "schliff"),
    ("greif", "griff"),
    ("treib", "trieb"),
    ("brenn", "brand"),
    ("bind", "bund"),
    ("werf", "wurf"),
    ("sprech", "spruch"),
    ("schreib", "schrift"),
)


def alternated(stem: str) -> list[str]:
    """`stem` with its end changed to the other vowel of a strong verb (`ALTERNATIONS`),
    both ways: "spritzgiess" → ["spritzguss"], "drohnenflug" → ["drohnenflieg"]."""
    found = []
    for verb, noun in ALTERNATIONS:
        for end, other in ((verb, noun), (noun, verb)):
            if stem.endswith(end):
                found.append(stem[: len(stem) - len(end)] + other)
    return found


# Endings many words share without being words themselves (folded).
ENDINGS: frozenset[str] = _word_set(
    """ungen erung erungen ierung ierungen igung igungen ische ischen ischer isches
    liche lichen licher keiten heiten ionen ation ationen iken ismus itaet itaeten
    turen ungs ieren ierte iertes"""
)


def infer_modifiers(
    forms: Collection[str], known: Collection[str], stem: Callable[[str], str]
) -> set[str]:
    """Fronts of the vocabulary's own compounds, learned from the vocabulary itself.

    "lasertechnik" ends in "technik", which also ends "messtechnik" while "rtechnik" ends
    nothing else: so the cut lies before "technik" and "laser" is the front of a compound.
    A query "Laserschweißen" can then be split although "Laser" never stands alone in the
    KB. Likewise "windenergie" = "wind" + a known word ("energie"). "bauwirtschaft" teaches
    nothing: every form ending in "irtschaft" also ends in "wirtschaft", so "bauw" is no
    front, and the true cut ("bau") leaves fewer than four letters. One cut per form, the
    one where the most forms part ways."""
    ordered = sorted(f[::-1] for f in forms)

    def ending_with(tail: str) -> int:
        reverse = tail[::-1]
        return bisect_left(ordered, reverse + "\U0010ffff") - bisect_left(ordered, reverse)

    modifiers: set[str] = set()
    for form in forms:
        if len(form) < 8:
            continue
        best: tuple[int, bool, int] | None = None  # (jump, tail known, cut)
        for cut in range(4, len(form) - 3):
            tail = form[cut:]
            # How many more forms end in the tail than in the tail one letter longer: the
            # cut "forst|technik" beats "fors|ttechnik" because far more forms end in
            # "technik" than in "ttechnik".
            # Short shared tails and derivation endings ("-igung", "-ische") are not words.
            word_like = len(tail) >= 5 and tail not in ENDINGS
            jump = ending_with(tail) - ending_with(form[cut - 1 :]) if word_like else 0
            known_tail = tail in known or stem(tail) in known
            if (jump > 0 or known_tail) and (best is None or (jump, known_tail) > best[:2]):
                best = (jump, known_tail, cut)
        if best is not None:
            modifiers.add(form[: best[2]])
    return modifiers
