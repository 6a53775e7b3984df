"""Plain questions in a room: the topic of "who handles X?", and silence for other chat."""

from __future__ import annotations

import pytest

from plugins.directory.questions import Question, extract_topic, parse_question


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
        # The article is seen before it is stripped: "den Kaffee" is not a topic.
        "Wer macht den Kaffee?",
        "Wer macht das Protokoll?",
        "Wer macht die Musik?",
        "Wer kümmert sich um mich?",
        "Wer ist zuständig für 🚀?",
        "who is in charge of the party?",
        "Wer kümmert sich um den Raum für Donnerstag?",
        "Wer hat Erfahrung mit dem neuen Drucker?",
        "Wer kümmert sich um die Getränke?",
        "Wer kümmert sich um Wasserstoff beim nächsten Treffen?",
    ],
)
def test_other_chat_gives_none(text: str) -> None:
    assert extract_topic(text) is None


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Hi, who handles hydrogen?", Question("hydrogen", english=True)),
        ("Hallo, who is in charge of photonics?", Question("photonics", english=True)),
        ("Wer ist zuständig für Getränke?", Question("Getränke", english=False)),
        ("Moin, wer macht Games?", Question("Games", english=False)),
        ("Wer kümmert sich um das Lieferkettengesetz?", Question("Lieferkettengesetz", False)),
    ],
)
def test_the_pattern_tells_the_language(text: str, question: Question) -> None:
    assert parse_question(text) == question
