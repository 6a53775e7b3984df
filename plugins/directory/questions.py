"""Recognise plain "who handles X?" questions in a room and pull out X.

Only explicit questions about responsibility or know-how count: "Wer ist zuständig für X?",
"Wer kümmert sich um X?", "Wer kennt sich mit X aus?", "Wer hilft bei X?", "who handles X?"…
Also when asked of the room, with the verb at the end: "Weiß jemand, wer für X zuständig
ist?", "Kennt jemand jemanden, der sich mit X auskennt?", or by the person sought: "Kennt
jemand einen Ansprechpartner für X?", "Gibt es einen Kontakt zu X?", "Does anyone know who
handles X?", "Is there a contact for X?". The bot reads every message of the room, so
ordinary chat must not trigger it: "Wer kommt morgen?" or "Wer hat den Schlüssel?" are not
about topics and return None.

The same words also organise the managers' own work ("Wer kümmert sich um die Getränke?",
"Wer macht das Protokoll?"), so X is checked as written, article included, before it is
cleaned up: a bare pronoun ("um mich"), a time or occasion ("für Donnerstag", "beim
Treffen"), or a determiner before an everyday thing of meetings and offices ("die
Getränke", "den Raum", "the party") make it chat, and so does an X that begins with a
preposition (the verb's particle: "Wer hilft mit beim Aufbau?"). "Wer macht X?" is the
loosest pattern, so there X must not start with an article, a time word or a pronoun at all
("Wer macht den Kaffee?", "Wer macht morgen das Protokoll?", "Wer macht mit?"). Whether the
directory has a confident answer is decided afterwards, by the search
(plugins/directory/__init__.py).

The question may be addressed to the bot ("Lotse: wer ist …", "Hallo Lotse, wer …",
"@lotse:example.org: who …": Element puts a mentioned user's display name first), by one of
the names it is known by (`bot_names`); addressed to anyone else ("Frau Müller, wer …",
"@anna:example.org: wer …") it is asked of that person, and the bot keeps out of it. Umlauts
may be typed without their dots ("wer ist zustandig fur X?") or spelled out ("zustaendig
fuer").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from plugins.directory.text import fold

# Greetings and fillers before the question: "Hallo zusammen, wer kümmert sich um …".
_LEAD = (
    r"(?:(?:hallo|hi|hey|moin|servus|guten (?:morgen|tag)|liebe leute|zusammen|kurze frage|"
    r"frage|hello|quick question)\b[\s,:;!.\-–]*)*"
)
# What the bot is called when nothing else is known: its name in the shell and in the docs.
BOT_NAME = "Lotse"
_HERE = r"(?:(?:hier|denn|eigentlich|bei euch|bei uns|im netzwerk|gerade|aktuell)\s+)*"
_ORG = r"(?:netzwerk|cluster|verband|kompetenzzentrum|netzwerke|partner|stelle|einrichtung)"
_WHICH_ORG = rf"(?:welches|welcher|welche|welchem)\s+{_ORG}"
_KNOW_HOW = r"(?:ahnung|erfahrung|erfahrungen|expertise|know-how|wissen)"
_KNOW_HOW_OF = r"(?:von|mit|in|im|bei|zu|zum thema|im bereich)"

_GERMAN = [
    # Wer ist (hier) zuständig / verantwortlich / Ansprechpartner(in) / Experte für X?
    rf"wer\s+ist\s+{_HERE}(?:der\s+|die\s+)?(?:richtige\s+)?"
    r"(?:zuständig|zustaendig|verantwortlich|ansprechpartner(?:in)?|ansprechperson|"
    r"experte|expertin|kontakt)\s+(?:für|fuer|bei|zu|zum thema)\s+(?P<x>.+)",
    # Wer ist für X zuständig?
    rf"wer\s+ist\s+{_HERE}(?:für|fuer)\s+(?P<x>.+?)\s+(?:zuständig|zustaendig|verantwortlich)",
    # Welches Netzwerk ist für X zuständig? / kümmert sich um X / macht X
    rf"{_WHICH_ORG}\s+ist\s+{_HERE}(?:für|fuer)\s+(?P<x>.+?)\s+"
    r"(?:zuständig|zustaendig|verantwortlich)",
    rf"{_WHICH_ORG}\s+(?:ist\s+)?(?:zuständig|zustaendig|verantwortlich)\s+(?:für|fuer)\s+(?P<x>.+)",
    rf"{_WHICH_ORG}\s+kümmert\s+sich\s+{_HERE}um\s+(?P<x>.+)",
    rf"{_WHICH_ORG}\s+(?:macht|kennt sich mit)\s+(?P<x>.+?)(?:\s+aus)?",
    # Wer kümmert sich (hier) um X?
    rf"wer\s+kümmert\s+sich\s+{_HERE}(?:um|darum,?)\s+(?P<x>.+)",
    # Wer kennt sich (hier) mit X aus?
    rf"wer\s+kennt\s+sich\s+{_HERE}(?:mit|in|bei|im bereich)\s+(?P<x>.+?)(?:\s+aus)?",
    # Wer hat (hier) Ahnung / Erfahrung / Expertise von / mit / in X?
    rf"wer\s+hat\s+{_HERE}{_KNOW_HOW}\s+{_KNOW_HOW_OF}\s+(?P<x>.+)",
    # Wer kann (mir/uns) bei X helfen?  Wer hilft (mir/uns) bei X (weiter)?
    rf"wer\s+kann\s+{_HERE}(?:mir\s+|uns\s+)?(?:bei|mit|zu)\s+(?P<x>.+?)\s+(?:helfen|weiterhelfen)",
    rf"wer\s+hilft\s+{_HERE}(?:mir\s+|uns\s+)?(?:bei|mit|zu)\s+(?P<x>.+?)(?:\s+weiter)?",
    # An wen kann ich mich bei X wenden?  An wen wende ich mich wegen X?
    r"an\s+wen\s+(?:kann|könnte|koennte|sollte|soll)\s+(?:ich|man|wir)\s+(?:mich|sich|uns)\s+"
    rf"{_HERE}(?:bei|mit|wegen|zu|zum thema|für|fuer)\s+(?P<x>.+?)\s+wenden",
    r"an\s+wen\s+(?:wende\s+ich\s+mich|wendet\s+man\s+sich|wenden\s+wir\s+uns)\s+"
    rf"{_HERE}(?:bei|mit|wegen|zu|zum thema|für|fuer)\s+(?P<x>.+)",
    # Wer macht X?  (checked more strictly below)
    rf"wer\s+macht\s+{_HERE}(?:(?:etwas|was)\s+(?:mit|zu|im bereich)\s+)?(?P<wer_macht>.+)",
]
# Asked of the room: "Weiß jemand, …", "Kennt jemand …", "Hat hier jemand …", "Gibt es …".
_ASK = (
    r"(?:(?:weiß|weiss|weißt|weisst|wisst|kennt|kennst|kennen|hat|habt|hast)\s+"
    rf"{_HERE}(?:jemand|einer|wer|ihr|du|sie)(?:\s+(?:von\s+euch|hier))*"
    r"|kann\s+(?:mir|uns)\s+(?:jemand|einer)\s+sagen"
    rf"|gibt\s+es\s+{_HERE})"
    r"[\s,:;]*"
)
# …the person or network sought: "einen Ansprechpartner", "jemanden", "ein Netzwerk".
_SOUGHT = (
    r"(?:(?:einen|eine|ein|den|die|das)\s+)?(?:gute[nr]?\s+|richtige[nr]?\s+)?"
    r"(?:ansprechpartner(?:in)?|ansprechperson|kontakt(?:person)?|experten|expertin|"
    r"fachmann|fachfrau|spezialisten|spezialistin|netzwerk|cluster|jemanden)"
)
_SUBJECT_OF = r"(?:für|fuer|zu|zum thema|bei|im bereich|in sachen)"
# The clause after "Weiß jemand, wer …" or "jemanden, der …", its verb at the end.
_CLAUSES = [
    rf"(?:sich\s+)?{_HERE}(?:für|fuer)\s+(?P<x>.+?)\s+(?:zuständig|zustaendig|verantwortlich)"
    r"(?:\s+ist|\s+sind)?",
    rf"sich\s+{_HERE}(?:um|mit|in|bei)\s+(?P<x>.+?)\s+(?:kümmert|kuemmert|auskennt)",
    rf"(?:mir\s+|uns\s+)?{_HERE}(?:bei|mit)\s+(?P<x>.+?)\s+(?:(?:weiter)?helfen\s+kann|hilft)",
    rf"{_HERE}{_KNOW_HOW}\s+{_KNOW_HOW_OF}\s+(?P<x>.+?)\s+hat",
]
_GERMAN_ASKED = [
    *(rf"{_ASK}(?:wer|{_WHICH_ORG})\s+{clause}" for clause in _CLAUSES),
    *(rf"{_ASK}{_SOUGHT},?\s+(?:der|die|das)\s+{clause}" for clause in _CLAUSES),
    # Kennt jemand einen Ansprechpartner für X?  Gibt es einen Kontakt zu X?
    rf"{_ASK}{_SOUGHT}\s+{_SUBJECT_OF}\s+(?P<x>.+)",
    # Hat jemand Erfahrung mit X?
    rf"{_ASK}{_KNOW_HOW}\s+{_KNOW_HOW_OF}\s+(?P<x>.+)",
]
_ENGLISH = [
    r"who\s+(?:handles|covers|deals with|takes care of|works on|does)\s+(?P<x>.+)",
    r"who\s+is\s+(?:responsible|in charge)\s+(?:for|of)\s+(?P<x>.+)",
    r"who\s+is\s+the\s+(?:right\s+)?(?:contact|person|expert)\s+(?:for|on)\s+(?P<x>.+)",
    r"who\s+knows\s+(?:(?:something|anything|a lot)\s+)?(?:about|of)\s+(?P<x>.+)",
    r"who\s+(?:can|could)\s+(?:help|advise)\s+(?:me\s+|us\s+)?(?:with|on)\s+(?P<x>.+)",
    r"who\s+helps\s+(?:me\s+|us\s+)?(?:with|on)\s+(?P<x>.+)",
    r"which\s+network\s+(?:handles|covers|is responsible for|deals with)\s+(?P<x>.+)",
]
# "Does anyone know (…)", "Is there (…)": the person or network sought, or one of the above.
_EN_ASK = (
    r"(?:(?:(?:does|do)\s+)?(?:anyone|anybody|someone|somebody|you|any\s+of\s+you)\s+know"
    r"|is\s+there)[\s,:;]*"
)
_EN_SOUGHT = (
    r"(?:(?:a|an|the|any)\s+)?(?:good\s+|right\s+)?"
    r"(?:contact(?:\s+person)?|person|expert|specialist|network|someone|somebody|anyone)"
)
_EN_WHO = r"(?:handles|covers|deals with|works on|knows about|can help with|is responsible for)"
_ENGLISH_ASKED = [
    *(rf"{_EN_ASK}{pattern}" for pattern in _ENGLISH),
    rf"{_EN_ASK}{_EN_SOUGHT}\s+(?:who|that)\s+{_EN_WHO}\s+(?P<x>.+)",
    rf"{_EN_ASK}{_EN_SOUGHT}\s+(?:for|on|in)\s+(?P<x>.+)",
]
_FLAGS = re.IGNORECASE | re.DOTALL
# Umlauts typed without their dots, or spelled out: "zustandig fur", "zustaendig fuer".
_LAZY_UMLAUTS = {"ä": "(?:ä|ae|a)", "ö": "(?:ö|oe|o)", "ü": "(?:ü|ue|u)", "ß": "(?:ß|ss)"}


def _lazy(pattern: str) -> str:
    """`pattern` with each umlaut also matching its plain and spelled-out forms (the patterns
    hold no umlaut inside a [character class], where this would not work)."""
    return "".join(_LAZY_UMLAUTS.get(ch, ch) for ch in pattern)


def bot_names(user_id: str | None, display_name: str = BOT_NAME) -> tuple[str, ...]:
    """The names a question to the bot may be addressed by: its display name, and with its
    Matrix id known that id ("@lotse:example.org") and its localpart ("lotse")."""
    names = [display_name]
    if user_id:
        names += [user_id, user_id.removeprefix("@").split(":", 1)[0]]
    return tuple(dict.fromkeys(name.strip() for name in names if name.strip()))


def _address(names: tuple[str, ...]) -> str:
    """Whom it is asked of, before or after a greeting: one of the bot's `names` (a Matrix
    id or a localpart with its "@" or without), then a colon or a comma."""
    bare = {name.removeprefix("@") for name in names} - {""}
    if not bare:
        return ""
    written = "|".join(
        r"\s+".join(re.escape(word) for word in name.split())
        for name in sorted(bare, key=len, reverse=True)
    )
    return rf"(?:@?(?:{written})\s*[:,]\s*)?"


def _compiled(pattern: str, address: str) -> re.Pattern[str]:
    return re.compile(_lazy(rf"^{address}{_LEAD}{address}(?:{pattern})$"), _FLAGS)


@lru_cache(maxsize=8)
def _questions(names: tuple[str, ...]) -> list[tuple[re.Pattern[str], bool]]:
    """The question patterns, compiled for a bot of these `names` (each English or not)."""
    address = _address(names)
    return [
        *((_compiled(p, address), False) for p in (*_GERMAN, *_GERMAN_ASKED)),
        *((_compiled(p, address), True) for p in (*_ENGLISH, *_ENGLISH_ASKED)),
    ]


_PLAIN_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})


def _folded(text: str) -> frozenset[str]:
    """The words folded, and also as typed without the umlauts' dots ("für": "fuer", "fur")."""
    words = text.split()
    lazy = {fold(w.casefold().translate(_PLAIN_UMLAUTS)) for w in words}
    return frozenset({fold(word) for word in words} | lazy)


# For "Wer macht X?": X must not start with these (a time, a person, an article: "den Kaffee").
_NOT_A_TOPIC = _folded(
    """heute morgen übermorgen gestern jetzt nachher später dann noch mal am beim im diese
    dieses diesen nächste nächsten mit was das es den die der dem denn da so mein meine
    meinen unser unsere unseren euer eure euren ihr ihre ihren"""
)
# X made only of these is a person or a thing of the conversation ("um mich", "of it").
_PRONOUNS = _folded(
    """ich mich mir du dich dir er ihn ihm sie ihr es wir uns euch ihnen das dies dieses
    den dem die der alles alle jemand jemanden man me us you him her it them this that
    everything everyone"""
)
# Any of these in X makes it about a day or an occasion, not a subject.
_OCCASIONS = _folded(
    """heute morgen übermorgen gestern nachher später gleich montag dienstag mittwoch
    donnerstag freitag samstag sonntag wochenende nächste nächsten nächster kommende
    kommenden treffen meeting sitzung termin besprechung feier party sommerfest
    weihnachtsfeier mittagspause pause uhr today tomorrow tonight yesterday monday tuesday
    wednesday thursday friday saturday sunday weekend next"""
)
# X that starts with a preposition is no object: the verb's particle came first ("Wer hilft
# mit beim Aufbau?").
_PREPOSITIONS = _folded("bei beim mit am im zum zur vom um für von an auf aus")
# Everyday things of meetings and offices; after a determiner they are chat ("die Getränke",
# "den Raum", "dem neuen Drucker"), while "Wer ist zuständig für Getränke?" still asks the
# directory.
_EVERYDAY = _folded(
    """kaffee kaffeemaschine tee wasser getränke essen mittagessen abendessen frühstück
    catering buffet brötchen kuchen kekse snacks pizza grill protokoll tagesordnung agenda
    einladung einladungen anmeldung anmeldungen teilnehmerliste namensschilder schlüssel
    raum räume saal beamer projektor drucker bildschirm laptop wlan technik mikrofon musik
    deko dekoration blumen geschenk geschenke fotos post parkplatz parkplätze kasse
    rechnung abrechnung moderation präsentation folien party feier fest stühle tische
    garderobe müll küche kantine urlaub vertretung coffee tea drinks food lunch dinner
    breakfast cake minutes invitation invitations key keys room printer projector music
    flowers slides parking bill"""
)
_DETERMINERS = _folded(
    """der die das den dem des unser unsere unseren unserem euer eure euren eurem mein meine
    meinen meinem dein deine deinen diese dieser dieses diesen the our my your this that
    these those"""
)
_TRAILING = re.compile(r"[\s?!.…:;,)\"'“”„»«]+$")
_LEADING = re.compile(r"^[\s\"'“”„»«(]+")
_WORD = re.compile(r"[^\W_]+")
# "das Thema X", "den Bereich X", "der X", "the X", "Fragen zur X" → X
_TOPIC_LEAD = re.compile(
    _lazy(
        r"^(?:(?:fragen|questions)\s+(?:zu|zur|zum|rund um|über|about|on)\s+)?"
        r"(?:(?:das|dem|den|die|der|des|ein|eine|einen|einem|the|a|an)\s+)?"
        r"(?:(?:thema|themen|bereich|gebiet|topic|field of)\s+)?"
    ),
    re.IGNORECASE,
)
# What `!wer` and `lotse kb who` are given may begin with the question's preposition or an
# article ("!wer für Photovoltaik", "!wer zu Laser", "!who about hydrogen"): not the topic.
_COMMAND_LEAD = re.compile(
    _lazy(
        r"^(?:(?:für|zu|zum|zur|bei|beim|über|um|mit|von|vom|wegen|bezüglich|bzgl\.?|"
        r"betreffend|im|in|am|an|auf|der|die|das|den|dem|des|ein|eine|einen|einem|einer|"
        r"eines|for|about|on|with|regarding|concerning|of|at|to|the|a)(?:\s+|$))+"
    ),
    re.IGNORECASE,
)
MAX_TOPIC_LENGTH = 200


@dataclass(frozen=True)
class Question:
    topic: str
    english: bool  # asked with an English pattern: answered in English

    @property
    def language(self) -> str:
        """The language it was asked in, which its answer speaks whatever the room's is."""
        return "en" if self.english else "de"


def parse_question(text: str, names: tuple[str, ...] = (BOT_NAME,)) -> Question | None:
    """The question in `text` ("Wer ist zuständig für X?" and relatives), None for chat or
    a question addressed to someone who is not the bot (`names`: see bot_names)."""
    questions = _questions(names)
    for sentence in _sentences(text):
        for pattern, english in questions:
            match = pattern.match(sentence)
            if match is None:
                continue
            strict = match.groupdict().get("wer_macht") is not None
            raw = match.group("wer_macht") if strict else match.group("x")
            if _looks_like_chat(raw, strict):
                continue
            topic = _clean(raw)
            if topic:
                return Question(topic, english)
    return None


def extract_topic(text: str, names: tuple[str, ...] = (BOT_NAME,)) -> str | None:
    """X from "Wer ist zuständig für X?" and its relatives; None for anything else."""
    question = parse_question(text, names)
    return question.topic if question else None


def command_topic(text: str) -> str:
    """The topic of `!wer …` / `lotse kb who …`: the X of a whole question typed after the
    command ("!wer ist zuständig für X?", "!who handles X?"), without leading prepositions
    and articles ("!wer für X", "!wer zu X") and surrounding quotes or punctuation. Empty
    when nothing is left that could be searched ("!wer für", "!wer ?"): that is asked as
    if nothing had been typed."""
    topic = extract_topic(f"wer {text}") or extract_topic(f"who {text}") or text
    while True:
        shorter = _LEADING.sub("", _TRAILING.sub("", topic.strip()))
        shorter = _TOPIC_LEAD.sub("", _COMMAND_LEAD.sub("", shorter)).strip()
        if shorter == topic:
            break
        topic = shorter
    return topic if _WORD.search(topic) else ""


def _sentences(text: str) -> list[str]:
    """The question may follow a greeting or come after other sentences; it ends with ?/!."""
    stripped = text.strip()
    if not stripped or len(stripped) > 1000:
        return []
    parts = re.split(r"(?<=[?!.])\s+|\n+", stripped)
    return [_TRAILING.sub("", p).strip() for p in parts if p.strip()]


def _clean(raw: str) -> str | None:
    topic = _LEADING.sub("", _TRAILING.sub("", raw.strip()))
    topic = _TOPIC_LEAD.sub("", topic).strip()
    if not topic or len(topic) > MAX_TOPIC_LENGTH:
        return None
    return topic


def _looks_like_chat(raw: str, strict: bool) -> bool:
    """X as the question wrote it, article included (so "den Kaffee" is still seen)."""
    words = [fold(w) for w in _WORD.findall(raw)]
    if not words or all(w in _PRONOUNS for w in words):
        return True  # "🚀", "um mich", "for it"
    if (strict and words[0] in _NOT_A_TOPIC) or words[0] in _PREPOSITIONS:
        return True
    if any(w in _OCCASIONS for w in words):
        return True
    return words[0] in _DETERMINERS and any(w in _EVERYDAY for w in words)
