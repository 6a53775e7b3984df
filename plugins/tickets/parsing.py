"""From the text after `!anfrage` to a title, a description and the company's contact details.

Managers paste requests as they got them, so details come in two shapes:
`key: value` lines (or `key: value` parts after a comma, a semicolon or a sentence's end),
which are taken exactly, and e-mail addresses or phone numbers somewhere in the prose, which
are found by pattern. When in doubt a part stays text: the description keeps everything it
was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plugins.tickets.models import (
    COMPANY_MAX,
    CONTACT_NAME_MAX,
    EMAIL_MAX,
    PHONE_MAX,
    TITLE_MAX,
)

REQUEST_MAX = 2000
COMMENT_MAX = 1000
NOTE_MAX = 1000

# Which written keys mean which field; compared case-insensitively.
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "company": ("firma", "unternehmen", "betrieb", "company"),
    "contact": (
        "kontakt",
        "kontaktperson",
        "ansprechpartner",
        "ansprechpartnerin",
        "ansprechperson",
        "contact",
        "contact person",
    ),
    "email": ("e-mail", "email", "e-mail-adresse", "mail"),
    "phone": ("telefon", "tel", "tel.", "telefonnummer", "phone", "handy", "mobil", "mobile"),
}
FIELD_LIMITS = {
    "company": COMPANY_MAX,
    "contact": CONTACT_NAME_MAX,
    "email": EMAIL_MAX,
    "phone": PHONE_MAX,
}
_KEY_TO_FIELD = {key: field for field, keys in FIELD_KEYS.items() for key in keys}
# A written key and its colon, not the end of a longer word ("Betriebsfirma:", "E-Mail" as
# "Mail"). Longest keys first, so "Kontaktperson" is not read as "Kontakt".
_KEY = re.compile(
    r"(?<![\w-])(?P<key>"
    + "|".join(re.escape(key) for key in sorted(_KEY_TO_FIELD, key=len, reverse=True))
    + r")\s*:",
    re.IGNORECASE,
)
_BULLET = re.compile(r"\s*(?:[-*•]\s*)?")  # a line's list bullet, before a first key
# What separates a field from the text or the field before it; a value does not keep it.
SEPARATORS = ",;"
_TRIM = " \t" + SEPARATORS
# A sentence's end before a key ("Hilfe bei Wärmepumpen. Firma: …"): the key starts a field
# there too, but the text before it keeps its full stop.
_SENTENCE_END = re.compile(r"[.!?]\s+\Z")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# Starts like a phone number (+, 00, 0 or "(0"), then digits with the usual separators.
# Dots are left out on purpose: they are what tells a date (01.12.2026) from a number.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+/.,-])(?:\+|\(0|0)[\d ()/\-]{4,24}\d(?![\w/])")
_PHONE_DIGITS = (7, 15)  # E.164 allows 15; fewer than 7 is a postcode or a count


class RequestProblem(Exception):
    """The request cannot be filed as written; `key` and `params` say why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class ParsedRequest:
    title: str
    text: str  # the description: everything that is not a recognised `key: value`
    company: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


def parse_request(raw: str) -> ParsedRequest:
    """Split a request into title, description and contact details; raise RequestProblem."""
    raw = raw.strip()
    if not raw:
        raise RequestProblem("tickets.error.empty")
    if len(raw) > REQUEST_MAX:
        raise RequestProblem("tickets.error.too_long", length=len(raw), limit=REQUEST_MAX)
    fields: dict[str, str] = {}
    description: list[str] = []
    for line in raw.splitlines():
        rest = _take_fields(line, fields)
        if rest is not None:
            description.append(rest)
    text = "\n".join(description).strip()
    if not text and not fields:
        # Keys without values ("Firma:", "Firma:, Kontakt:"): nothing to file a ticket about.
        raise RequestProblem("tickets.error.no_description")
    if not text:
        # Only fields ("Unternehmen: Beispiel AG sucht Hilfe bei Spritzguss"): the first line
        # as written is the text. Refusing would make the sender type it all again.
        text = raw.splitlines()[0].strip()

    contact = fields.get("contact")
    email = fields.get("email")
    phone = fields.get("phone")
    # A contact line often carries the address and number too: "Herr Meier, meier@x.de".
    if contact:
        if email is None and (found := find_email(contact)):
            email, contact = found, _remove(contact, found)
        if phone is None and (found := find_phone(contact)):
            phone, contact = found, _remove(contact, found)
        contact = contact or None
    email = email or find_email(text)
    phone = phone or find_phone(text)
    for field, value in (("company", fields.get("company")), ("contact", contact)):
        if value and len(value) > FIELD_LIMITS[field]:
            raise RequestProblem(
                "tickets.error.field_too_long", field=field, limit=FIELD_LIMITS[field]
            )
    for field, value in (("email", email), ("phone", phone)):
        if value and len(value) > FIELD_LIMITS[field]:
            raise RequestProblem(
                "tickets.error.field_too_long", field=field, limit=FIELD_LIMITS[field]
            )
    return ParsedRequest(
        title=make_title(text),
        text=text,
        company=fields.get("company"),
        contact_name=contact,
        contact_email=email,
        contact_phone=phone,
    )


def _take_fields(line: str, fields: dict[str, str]) -> str | None:
    """Collect the `key: value` parts of a line; return what is left (None: nothing).

    A key starts a field at the line's start (after a bullet), after a comma or a semicolon,
    after a sentence's end (".", "!" or "?" and a space), or after another field's value
    ("Firma: X GmbH Kontakt: Y"). After an ordinary word it is part of a sentence ("Anfrage
    von Firma: Müller GmbH zu …") and stays text: read as a field, it would cut the sentence
    in two. Text before the first key stays description ("Beratung; Firma: X"); a value runs
    up to the next key ("Firma: Müller; Co. KG").
    """
    starts = _field_starts(line)
    if not starts:
        return line.rstrip()
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
        value = line[match.end() : end].strip(_TRIM)
        if value:
            # The first mention wins; a repeated key adds nothing surprising.
            fields.setdefault(_KEY_TO_FIELD[match.group("key").casefold()], value)
    rest = line[: starts[0].start()].strip(_TRIM)
    if _BULLET.fullmatch(rest):
        return None
    return rest


def _field_starts(line: str) -> list[re.Match[str]]:
    """The keys of `line` that start a field (see _take_fields), in order."""
    starts: list[re.Match[str]] = []
    for match in _KEY.finditer(line):
        before = line[: match.start()]
        if (
            starts
            or _BULLET.fullmatch(before)
            or before.rstrip()[-1:] in set(SEPARATORS)
            or _SENTENCE_END.search(before)
        ):
            starts.append(match)
    return starts


def make_title(text: str) -> str:
    """The first line, whitespace collapsed, cut at a word boundary if it is too long."""
    first = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if len(first) <= TITLE_MAX:
        return first
    cut = first[: TITLE_MAX - 1]
    if " " in cut[TITLE_MAX // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def find_email(text: str) -> str | None:
    match = EMAIL.search(text)
    return match.group(0) if match else None


def find_phone(text: str) -> str | None:
    """The first thing in `text` that looks like a phone number, as written."""
    for match in _PHONE_CANDIDATE.finditer(text):
        candidate = match.group(0).rstrip(" -/(")
        digits = re.sub(r"\D", "", candidate)
        if not _PHONE_DIGITS[0] <= len(digits) <= _PHONE_DIGITS[1]:
            continue
        if candidate.count("/") > 1 or candidate.count("(") != candidate.count(")"):
            continue
        if "  " in candidate:
            continue
        return candidate
    return None


_LABEL_BEFORE = r"(?:\b(?:tel|telefon|fon|phone|mobil|handy|e-?mail|mail)\b\.?\s*:?\s*)?"


def _remove(text: str, part: str) -> str:
    """`text` without `part`, its label ("Tel.") and the separators it leaves dangling."""
    left = re.sub(_LABEL_BEFORE + re.escape(part), " ", text, count=1, flags=re.IGNORECASE)
    left = re.sub(r"\s*[,;/|]\s*(?=[,;/|]|$)", "", left)
    left = re.sub(r"\(\s*\)", "", left)
    return " ".join(left.split()).strip(" ,;/|-–:")
