"""Recognise plain "who handles X?" questions in a room and pull out X.

Only explicit questions about responsibility or know-how count: "Wer ist zuständig für X?",
"Wer kümmert sich um X?", "Wer kennt sich mit X aus?", "who handles X?"… The bot reads
every message of the room, so ordinary chat must not trigger it: "Wer kommt morgen?" or
"Wer hat den Schlüssel?" are not about topics and return None. "Wer macht X?" is the
loosest pattern, so there X must not start with a time word or be a bare pronoun
("Wer macht morgen das Protokoll?", "Wer macht mit?").
"""

from __future__ import annotations

import re

# Greetings and fillers before the question: "Hallo zusammen, wer kümmert sich um …".
_LEAD = (
    r"(?:(?:hallo|hi|hey|moin|servus|guten (?:morgen|tag)|liebe leute|zusammen|kurze frage|"
    r"frage|hello|quick question)\b[\s,:;!.\-–]*)*"
)
_HERE = r"(?:(?:hier|denn|eigentlich|bei euch|bei uns|im netzwerk|gerade|aktuell)\s+)*"
_ORG = r"(?:netzwerk|cluster|verband|kompetenzzentrum|netzwerke|partner|stelle|einrichtung)"
_WHICH_ORG = rf"(?:welches|welcher|welche|welchem)\s+{_ORG}"

_PATTERNS = [
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
    rf"wer\s+hat\s+{_HERE}(?:ahnung|erfahrung|expertise|know-how|wissen)\s+"
    r"(?:von|mit|in|im|bei|zu|zum thema|im bereich)\s+(?P<x>.+)",
    # Wer kann (mir/uns) bei X helfen?
    rf"wer\s+kann\s+{_HERE}(?:mir\s+|uns\s+)?(?:bei|mit|zu)\s+(?P<x>.+?)\s+(?:helfen|weiterhelfen)",
    # Wer macht X?  (checked more strictly below)
    rf"wer\s+macht\s+{_HERE}(?:(?:etwas|was)\s+(?:mit|zu|im bereich)\s+)?(?P<wer_macht>.+)",
    # English
    r"who\s+(?:handles|covers|deals with|takes care of|works on|does)\s+(?P<x>.+)",
    r"who\s+is\s+(?:responsible|in charge)\s+(?:for|of)\s+(?P<x>.+)",
    r"who\s+is\s+the\s+(?:right\s+)?(?:contact|person|expert)\s+(?:for|on)\s+(?P<x>.+)",
    r"who\s+knows\s+(?:(?:something|anything|a lot)\s+)?(?:about|of)\s+(?P<x>.+)",
    r"who\s+can\s+help\s+(?:me\s+|us\s+)?(?:with|on)\s+(?P<x>.+)",
    r"which\s+network\s+(?:handles|covers|is responsible for|deals with)\s+(?P<x>.+)",
]
_QUESTIONS = [re.compile(rf"^{_LEAD}(?:{p})$", re.IGNORECASE | re.DOTALL) for p in _PATTERNS]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# For "Wer macht X?": words that make X about a time or a person, not a topic.
_NOT_A_TOPIC = _words(
    """heute morgen übermorgen uebermorgen gestern jetzt nachher später spaeter dann noch mal
    am beim im diese dieses diesen nächste nächsten naechste naechsten mit was das es den
    die der denn da so"""
)
_TRAILING = re.compile(r"[\s?!.…:;,)\"'“”„»«]+$")
_LEADING = re.compile(r"^[\s\"'“”„»«(]+")
# "das Thema X", "den Bereich X", "der X", "the X" → X
_TOPIC_LEAD = re.compile(
    r"^(?:(?:das|dem|den|die|der|des|ein|eine|einen|einem|the|a|an)\s+)?"
    r"(?:(?:thema|themen|bereich|gebiet|topic|field of)\s+)?",
    re.IGNORECASE,
)
MAX_TOPIC_LENGTH = 200


def extract_topic(text: str) -> str | None:
    """X from "Wer ist zuständig für X?" and its relatives; None for anything else."""
    for sentence in _sentences(text):
        for pattern in _QUESTIONS:
            match = pattern.match(sentence)
            if match is None:
                continue
            strict = match.groupdict().get("wer_macht") is not None
            topic = _clean(match.group("wer_macht") if strict else match.group("x"))
            if topic and not (strict and _looks_like_chat(topic)):
                return topic
    return None


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


def _looks_like_chat(topic: str) -> bool:
    words = topic.casefold().split()
    return not words or words[0] in _NOT_A_TOPIC
