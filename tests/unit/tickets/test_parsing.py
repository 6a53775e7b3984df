"""From request text to title, description, company and contact details."""

from __future__ import annotations

import pytest

from plugins.tickets.parsing import (
    REQUEST_MAX,
    RequestProblem,
    find_email,
    find_phone,
    make_title,
    parse_request,
)
from plugins.tickets.reactions import ReactionAction, reaction_action


def test_key_value_lines_in_german() -> None:
    parsed = parse_request(
        "Exportberatung nach Polen gesucht\n"
        "Die Firma will 2027 liefern.\n"
        "Firma: Müller Maschinenbau GmbH\n"
        "Ansprechpartner: Herr Meier\n"
        "E-Mail: meier@mueller.example\n"
        "Telefon: +49 361 1234567"
    )
    assert parsed.title == "Exportberatung nach Polen gesucht"
    assert parsed.text == "Exportberatung nach Polen gesucht\nDie Firma will 2027 liefern."
    assert parsed.company == "Müller Maschinenbau GmbH"
    assert parsed.contact_name == "Herr Meier"
    assert parsed.contact_email == "meier@mueller.example"
    assert parsed.contact_phone == "+49 361 1234567"


def test_key_value_lines_in_english_any_case_with_bullets() -> None:
    parsed = parse_request(
        "Looking for apprentices\n- Company: ACME Ltd\n* CONTACT: Jane Doe\nphone: 0361 99 88 77"
    )
    assert parsed.company == "ACME Ltd"
    assert parsed.contact_name == "Jane Doe"
    assert parsed.contact_phone == "0361 99 88 77"
    assert parsed.text == "Looking for apprentices"


def test_fields_as_segments_of_one_line() -> None:
    parsed = parse_request("Fördermittel Digitalisierung; Firma: Beta AG; Kontakt: Frau Roth")
    assert parsed.text == "Fördermittel Digitalisierung"
    assert parsed.company == "Beta AG"
    assert parsed.contact_name == "Frau Roth"


def test_contact_line_carrying_address_and_number() -> None:
    parsed = parse_request(
        "Azubi-Austausch\nKontakt: Herr Meier, meier@x.example, Tel. (0361) 12 34 56"
    )
    assert parsed.contact_email == "meier@x.example"
    assert parsed.contact_phone == "(0361) 12 34 56"
    assert parsed.contact_name == "Herr Meier"


def test_email_and_phone_found_in_free_text() -> None:
    parsed = parse_request(
        "Bitte bei anna.schmidt+netz@firma-x.de melden oder 03641/123456 anrufen, "
        "es geht um 30 Mitarbeitende ab 01.12.2026 in 07743 Jena."
    )
    assert parsed.contact_email == "anna.schmidt+netz@firma-x.de"
    assert parsed.contact_phone == "03641/123456"
    assert parsed.company is None and parsed.contact_name is None


def test_explicit_fields_win_over_free_text() -> None:
    parsed = parse_request("Rückruf an 0361 111111 erbeten\nTelefon: 0361 222222")
    assert parsed.contact_phone == "0361 222222"


@pytest.mark.parametrize(
    "text",
    [
        "Termin am 01.12.2026",
        "Postleitzahl 07743",
        "30 Mitarbeitende, 2026-11-23",
        "Matrix @anna:example.org",
        "Raum 0-12",
    ],
)
def test_no_phone_or_email_where_there_is_none(text: str) -> None:
    assert find_phone(text) is None
    assert find_email(text) is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("ruf an: +49 (0)3641 12345-67 bitte", "+49 (0)3641 12345-67"),
        ("Tel 0049 361 1234567", "0049 361 1234567"),
        ("Handy 0171-2345678.", "0171-2345678"),
    ],
)
def test_phone_formats(text: str, phone: str) -> None:
    assert find_phone(text) == phone


def test_a_request_of_fields_only_keeps_its_first_line_as_text() -> None:
    # Refusing would lose what was typed; as text the first line loses nothing.
    parsed = parse_request("Unternehmen: Beispiel AG sucht Hilfe bei Spritzguss")
    assert parsed.title == parsed.text == "Unternehmen: Beispiel AG sucht Hilfe bei Spritzguss"
    parsed = parse_request("Firma: Müller GmbH\nKontakt: Herr Meier")
    assert parsed.text == "Firma: Müller GmbH"
    assert (parsed.company, parsed.contact_name) == ("Müller GmbH", "Herr Meier")


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_request(text: str) -> None:
    with pytest.raises(RequestProblem) as info:
        parse_request(text)
    assert info.value.key == "tickets.error.empty"


def test_too_long_request_and_field() -> None:
    with pytest.raises(RequestProblem) as info:
        parse_request("x" * (REQUEST_MAX + 1))
    assert info.value.key == "tickets.error.too_long"
    assert info.value.params == {"length": REQUEST_MAX + 1, "limit": REQUEST_MAX}
    parse_request("x" * REQUEST_MAX)  # the limit itself is fine
    with pytest.raises(RequestProblem) as info:
        parse_request("Anfrage\nFirma: " + "M" * 201)
    assert info.value.key == "tickets.error.field_too_long"
    assert info.value.params["field"] == "company"


def test_title_is_first_line_bounded_at_a_word() -> None:
    assert make_title("  Kurz  und   gut \nmehr") == "Kurz und gut"
    long = "Wort " * 60
    title = make_title(long)
    assert len(title) <= 120 and title.endswith("…") and "Wor…" not in title
    assert len(make_title("x" * 500)) == 120


def test_empty_key_is_ignored_and_first_value_wins() -> None:
    parsed = parse_request("Anfrage\nFirma:\nFirma: A GmbH\nFirma: B GmbH")
    assert parsed.company == "A GmbH"
    assert parsed.text == "Anfrage"


@pytest.mark.parametrize(
    ("key", "action"),
    [
        ("✋", ReactionAction.CLAIM),
        ("✋️", ReactionAction.CLAIM),
        ("✋🏽", ReactionAction.CLAIM),
        ("✋🏿", ReactionAction.CLAIM),
        ("🤚🏻", ReactionAction.CLAIM),
        ("✅", ReactionAction.CLOSE),
        ("✅️", ReactionAction.CLOSE),
        ("✔️", ReactionAction.CLOSE),
        ("☑️", ReactionAction.CLOSE),
        ("👍", None),
        ("x", None),
        ("", None),
    ],
)
def test_reaction_keys(key: str, action: ReactionAction | None) -> None:
    assert reaction_action(key) == action


def test_text_after_a_key_belongs_to_its_value() -> None:
    parsed = parse_request("Nachfolge gesucht; Firma: Müller & Söhne; Co. KG; Kontakt: Frau Roth")
    assert parsed.text == "Nachfolge gesucht"
    assert parsed.company == "Müller & Söhne; Co. KG"
    assert parsed.contact_name == "Frau Roth"


def test_keys_further_along_one_line_start_their_own_fields() -> None:
    parsed = parse_request("Partner für Wasserstofftankstelle, Firma: Muster GmbH Kontakt: Max")
    assert parsed.text == "Partner für Wasserstofftankstelle"
    assert (parsed.company, parsed.contact_name) == ("Muster GmbH", "Max")
    parsed = parse_request("Exportberatung gesucht\nTel: 0361 123456 E-Mail: info@beta.example")
    assert parsed.text == "Exportberatung gesucht"
    assert (parsed.contact_phone, parsed.contact_email) == ("0361 123456", "info@beta.example")
    # A key word without its colon is prose.
    assert parse_request("Die Firma Beta sucht Kontakt zu Zulieferern").company is None


@pytest.mark.parametrize(
    "text",
    [
        "Anfrage von Firma: Müller GmbH zu Wärmepumpen",
        "Firma sucht Partner für Wasserstofftankstelle Firma: Muster GmbH Kontakt: Max",
    ],
)
def test_a_key_inside_running_text_is_text(text: str) -> None:
    # After an ordinary word a "Firma:" is part of the sentence; as text it loses nothing.
    parsed = parse_request(text)
    assert parsed.title == parsed.text == text
    assert (parsed.company, parsed.contact_name) == (None, None)


def test_running_text_keeps_the_contact_details_it_holds() -> None:
    parsed = parse_request("Exportberatung gesucht Tel: 0361 123456 E-Mail: info@beta.example")
    assert parsed.text == "Exportberatung gesucht Tel: 0361 123456 E-Mail: info@beta.example"
    assert (parsed.contact_phone, parsed.contact_email) == ("0361 123456", "info@beta.example")


@pytest.mark.parametrize(
    ("line", "phone", "email"),
    [
        ("Telefon: 0361/123 45, E-Mail: a@b.de", "0361/123 45", "a@b.de"),
        ("Telefon: 0361/123 45; E-Mail: a@b.de;", "0361/123 45", "a@b.de"),
        ("E-Mail: a@b.de ,  Telefon: 0361/123 45 ,", "0361/123 45", "a@b.de"),
    ],
)
def test_values_lose_the_separators_after_them(line: str, phone: str, email: str) -> None:
    parsed = parse_request(f"Rückruf erbeten\n{line}")
    assert (parsed.contact_phone, parsed.contact_email) == (phone, email)
    assert parsed.text == "Rückruf erbeten"


def test_a_key_after_a_comma_starts_a_field() -> None:
    parsed = parse_request("Beratung zu Spritzguss gesucht, Firma: Beta AG, Kontakt: Frau Roth")
    assert parsed.text == "Beratung zu Spritzguss gesucht"
    assert (parsed.company, parsed.contact_name) == ("Beta AG", "Frau Roth")


@pytest.mark.parametrize(
    ("text", "title", "company", "contact", "phone"),
    [
        (
            "Wir suchen Hilfe bei Wärmepumpen. Firma: Müller GmbH, Kontakt: Max Meier",
            "Wir suchen Hilfe bei Wärmepumpen.",
            "Müller GmbH",
            "Max Meier",
            None,
        ),
        (
            "Brauchen Beratung zu Förderung! Kontakt: Max Meier, Tel: 0361 1234567",
            "Brauchen Beratung zu Förderung!",
            None,
            "Max Meier",
            "0361 1234567",
        ),
        (
            "Wer kennt sich mit Laserschweißen aus? Firma: Beta AG",
            "Wer kennt sich mit Laserschweißen aus?",
            "Beta AG",
            None,
            None,
        ),
    ],
)
def test_a_key_after_a_sentence_end_starts_a_field(
    text: str, title: str, company: str | None, contact: str | None, phone: str | None
) -> None:
    parsed = parse_request(text)
    assert parsed.title == parsed.text == title
    assert (parsed.company, parsed.contact_name, parsed.contact_phone) == (
        company,
        contact,
        phone,
    )


def test_a_full_stop_inside_a_word_does_not_start_a_field() -> None:
    # "Firma:" right after "…Wärmepumpen." with no space is no sentence's end.
    parsed = parse_request("Hilfe bei Wärmepumpen.Firma: Müller GmbH")
    assert parsed.company is None


@pytest.mark.parametrize("text", ["Firma:", "Firma:, Kontakt:", "- Firma:\nKontakt: ;"])
def test_keys_without_values_and_no_text_are_refused(text: str) -> None:
    # Filed, the ticket would be titled "Firma:": nothing to work on.
    with pytest.raises(RequestProblem) as info:
        parse_request(text)
    assert info.value.key == "tickets.error.no_description"
