"""Plain questions in a room: the topic of "who handles X?", and silence for other chat."""

from __future__ import annotations

import pytest

from plugins.directory.questions import (
    Question,
    bot_names,
    command_topic,
    extract_topic,
    parse_question,
)


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
        # Asked of the room ("Weiß jemand, …", "Does anyone know …"), also as an indirect
        # question with the verb at the end, and by the person sought.
        ("Weiß jemand, wer für Medizintechnik zuständig ist?", "Medizintechnik"),
        ("Weiss jemand wer sich um Fördermittel kümmert?", "Fördermittel"),
        ("Wisst ihr, wer sich mit Drohnen auskennt?", "Drohnen"),
        ("Weiß jemand von euch, wer mir bei der MDR-Zulassung helfen kann?", "MDR-Zulassung"),
        ("Weiß jemand, welches Netzwerk für Photonik zuständig ist?", "Photonik"),
        ("Wer hilft bei Spritzguss?", "Spritzguss"),
        ("Wer hilft mir bei Fördermitteln weiter?", "Fördermitteln"),
        ("Kennt jemand einen Ansprechpartner für Lasertechnik?", "Lasertechnik"),
        ("Kennt jemand jemanden, der sich mit Holzbau auskennt?", "Holzbau"),
        ("Hat jemand Erfahrung mit Wasserstoffspeichern?", "Wasserstoffspeichern"),
        ("Hat hier jemand einen Kontakt zum Thema Telemedizin?", "Telemedizin"),
        ("Gibt es einen Ansprechpartner für Tourismusmarketing?", "Tourismusmarketing"),
        ("Gibt es jemanden, der sich um Lieferketten kümmert?", "Lieferketten"),
        ("An wen kann ich mich bei Fragen zur Photovoltaik wenden?", "Photovoltaik"),
        ("An wen wende ich mich wegen Fachkräften?", "Fachkräften"),
        ("Does anyone know who handles laser welding?", "laser welding"),
        ("Anyone know who is responsible for logistics?", "logistics"),
        ("Does anybody know a contact for photonics?", "photonics"),
        ("Do you know someone who knows about 3D printing?", "3D printing"),
        ("Is there a contact person for hydrogen?", "hydrogen"),
        ("Who helps with funding?", "funding"),
        # Addressed to the bot: Element puts a mentioned user's display name first.
        ("Lotse: wer ist zuständig für Photovoltaik?", "Photovoltaik"),
        ("Lotse, wer ist zuständig für Photovoltaik?", "Photovoltaik"),
        ("Hallo Lotse, wer kümmert sich um Sensorik?", "Sensorik"),
        # Umlauts typed without their dots.
        ("wer ist zustandig fur photovoltaik?", "photovoltaik"),
        ("Wer kummert sich um Wasserstoff?", "Wasserstoff"),
        ("Weiss jemand, wer fur Medizintechnik zustandig ist?", "Medizintechnik"),
        ("An wen kann ich mich bei Fragen uber Drohnen wenden?", "Drohnen"),
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
        # The same leads in ordinary talk.
        "Weiß jemand, wer morgen kommt?",
        "Weiß jemand, wo der Schlüssel ist?",
        "Weiß jemand, wer sich um die Getränke kümmert?",
        "Wer hilft mit beim Aufbau?",
        "Wer hilft mir beim Umzug?",
        "Kennt jemand einen guten Italiener?",
        "Kennt jemand einen Ansprechpartner für die Party?",
        "Hat jemand Erfahrung mit dem neuen Drucker?",
        "Hat jemand Zeit am Freitag?",
        "Gibt es einen Kontakt für den Raum am Donnerstag?",
        "An wen kann ich mich wenden?",
        "Does anyone know who is coming tomorrow?",
        "Does anyone know who takes care of the drinks?",
        "Is there a contact for the party?",
        # Addressed or typed without the umlauts' dots, chat is still chat.
        "Lotse: wer kommt morgen?",
        "Anna, wer macht den Kaffee?",
        "Lotse, wer kummert sich um die Getränke?",
        "Wer ist zustandig fur den Raum am Donnerstag?",
        "Wer hilft mit fur das Sommerfest?",
    ],
)
def test_other_chat_gives_none(text: str) -> None:
    assert extract_topic(text) is None


NAMES = bot_names("@lotse-bot:example.org")  # display name "Lotse", its id and localpart


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("@lotse-bot:example.org: who handles hydrogen?", "hydrogen"),
        ("lotse-bot: wer hilft bei Spritzguss?", "Spritzguss"),
        ("@lotse-bot, wer hilft bei Spritzguss?", "Spritzguss"),
        ("Hallo @lotse-bot:example.org, wer kennt sich mit Laser aus?", "Laser"),
        ("LOTSE: wer ist zuständig für Photovoltaik?", "Photovoltaik"),
        # A greeting without a name is no address.
        ("Hallo, wer kümmert sich um Laser?", "Laser"),
        ("Moin zusammen: wer ist zuständig für Wasserstoff?", "Wasserstoff"),
    ],
)
def test_a_question_addressed_to_the_bot_by_any_of_its_names(text: str, topic: str) -> None:
    assert extract_topic(text, NAMES) == topic


def test_a_display_name_of_two_words() -> None:
    names = bot_names(None, "Lotse Bot")
    assert extract_topic("Lotse Bot: wer hilft bei Spritzguss?", names) == "Spritzguss"
    assert extract_topic("Lotse Bot: wer hilft bei Spritzguss?") is None  # not its name


@pytest.mark.parametrize(
    "text",
    [
        "@anna:example.org: wer kümmert sich um Laser?",
        "Frau Müller, wer ist zuständig für Wasserstoff?",
        "Anna: wer ist zuständig für Photovoltaik?",
        "Hallo Anna, wer kennt sich mit Spritzguss aus?",
        "@lotse:example.org: who handles hydrogen?",  # another bot's id, same localpart
        "Lotsen, wer hilft bei Spritzguss?",
    ],
)
def test_a_question_addressed_to_someone_else_is_theirs(text: str) -> None:
    assert parse_question(text, NAMES) is None


def test_bot_names() -> None:
    assert bot_names(None) == ("Lotse",)
    assert bot_names("@lotse:example.org") == ("Lotse", "@lotse:example.org", "lotse")
    assert bot_names("@helper:x.org", "Helfer") == ("Helfer", "@helper:x.org", "helper")


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Hi, who handles hydrogen?", Question("hydrogen", english=True)),
        ("Hallo, who is in charge of photonics?", Question("photonics", english=True)),
        ("Wer ist zuständig für Getränke?", Question("Getränke", english=False)),
        ("Moin, wer macht Games?", Question("Games", english=False)),
        ("Wer kümmert sich um das Lieferkettengesetz?", Question("Lieferkettengesetz", False)),
        ("Weiß jemand, wer für Medizintechnik zuständig ist?", Question("Medizintechnik", False)),
        ("Does anyone know who handles laser welding?", Question("laser welding", True)),
    ],
)
def test_the_pattern_tells_the_language(text: str, question: Question) -> None:
    assert parse_question(text) == question


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("Photovoltaik", "Photovoltaik"),
        ("für Photovoltaik", "Photovoltaik"),
        ("fur Photovoltaik", "Photovoltaik"),
        ("zu Laser", "Laser"),
        ("zum Thema Wasserstoff", "Wasserstoff"),
        ("bei der Zulassung von Medizinprodukten", "Zulassung von Medizinprodukten"),
        ("über die Photonik?", "Photonik"),
        ("about hydrogen", "hydrogen"),
        ("for the carbon footprint", "carbon footprint"),
        ("ist zuständig für Wasserstoff?", "Wasserstoff"),
        ("handles hydrogen?", "hydrogen"),
        ('"Cloud Native"', "Cloud Native"),
        ("IT", "IT"),
        ("Industrie 4.0", "Industrie 4.0"),
        # Nothing but fillers or punctuation: as if nothing had been typed.
        ("für", ""),
        ("zu", ""),
        ("für die", ""),
        ("about", ""),
        ("?", ""),
        ("", ""),
    ],
)
def test_a_commands_topic_leaves_out_leading_prepositions_and_articles(
    typed: str, topic: str
) -> None:
    assert command_topic(typed) == topic
