"""Plain questions in a room: the topic of "who handles X?", and silence for other chat."""

from __future__ import annotations

import pytest

from plugins.directory.questions import extract_topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Wer ist zuständig für Wasserstoff?", "Wasserstoff"),
        ("wer ist zustaendig fuer wasserstoff", "wasserstoff"),
        ("WER IST ZUSTÄNDIG FÜR KI", "KI"),
        ("Wer ist für Industrie 4.0 zuständig?", "Industrie 4.0"),
        ("Wer ist hier der richtige Ansprechpartner für BIM?", "BIM"),
        ("Wer kümmert sich um das Lieferkettengesetz?", "Lieferkettengesetz"),
        ("Wer kümmert sich hier um das Thema Fachkräfte?!", "Fachkräfte"),
        ("Wer macht Games?", "Games"),
        ("Wer kennt sich mit Spritzguss aus?", "Spritzguss"),
        ("Wer kennt sich hier mit CO2-Bilanzen aus", "CO2-Bilanzen"),
        ("Wer hat Ahnung von Telemedizin?", "Telemedizin"),
        ("Wer hat Erfahrung mit Fördermitteln?", "Fördermitteln"),
        ("Welches Netzwerk ist für Photonik zuständig?", "Photonik"),
        ("Welcher Cluster kümmert sich um Leichtbau?", "Leichtbau"),
        ("Wer kann mir bei der MDR-Zulassung helfen?", "MDR-Zulassung"),
        ("Hallo zusammen, wer kümmert sich um Sensorik?", "Sensorik"),
        ("Moin! Wer ist zuständig für „Kunststoffrecycling“?", "Kunststoffrecycling"),
        ("Kurze Frage. Wer hat Ahnung von Drohnen?", "Drohnen"),
        ("who handles fuel cells?", "fuel cells"),
        ("Who is responsible for cybersecurity", "cybersecurity"),
        ("who knows about the carbon footprint?", "carbon footprint"),
        ("who is in charge of hydrogen?", "hydrogen"),
        ("Which network handles photonics?", "photonics"),
    ],
)
def test_questions_give_their_topic(text: str, topic: str) -> None:
    assert extract_topic(text) == topic


@pytest.mark.parametrize(
    "text",
    [
        "Wer kommt morgen?",
        "Wer macht morgen das Protokoll?",
        "Wer macht mit?",
        "Wer hat den Schlüssel?",
        "Wer ist zuständig für?",
        "Wasserstoff",
        "Wir kümmern uns um Wasserstoff.",
        "Ich frage mich, wer sich um Wasserstoff kümmert.",
        "who is there?",
        "",
        "   ",
        "Wer kümmert sich um " + "x" * 300 + "?",
    ],
)
def test_other_chat_gives_none(text: str) -> None:
    assert extract_topic(text) is None
