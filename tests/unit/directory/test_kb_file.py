"""Loading the KB file: the demo file, every kind of error with its line, nothing partial."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from plugins.directory.kb import Contact, KnowledgeBase
from plugins.directory.kb_file import (
    MAX_ERRORS,
    MAX_FILE_BYTES,
    MAX_NETWORKS,
    MESSAGES,
    KbError,
    KbFileError,
    load_kb,
)
from plugins.directory.text import fold

DEMO = Path(__file__).parents[3] / "plugins" / "directory" / "demo_kb.yaml"

VALID = """\
synonyms:
  - [Photovoltaik, PV]
networks:
  - id: theen
    name: Thüringer Erneuerbare Energien Netzwerk
    short: ThEEN
    url: https://theen.example.org
    description: Erneuerbare Energien.
    topics: [Erneuerbare Energien, CO2-Fußabdruck]
    offers: [Energieberatung]
    contacts:
      - {name: Anna Schmidt, role: Managerin, matrix: "@anna.schmidt:example.org",
         email: anna@example.org, phone: +49 361 123456, topics: [CO2-Fußabdruck]}
"""


def errors_of(text: str) -> list[KbError]:
    with pytest.raises(KbFileError) as info:
        load_kb(text)
    for error in info.value.errors:
        assert error.message  # every English fallback formats with the params given
        assert str(error)
    return info.value.errors


def only_error(text: str) -> KbError:
    errors = errors_of(text)
    assert len(errors) == 1, errors
    return errors[0]


def network(body: str) -> str:
    """A file with one network; `body` lines are indented under the list item."""
    return "networks:\n  - id: n1\n    name: Netz\n" + body


def test_valid_file_loads_with_all_fields() -> None:
    kb = load_kb(VALID)
    assert kb.synonyms == (("Photovoltaik", "PV"),)
    (theen,) = kb.networks
    assert theen.id == "theen"
    assert theen.short == "ThEEN"
    assert theen.topics == ("Erneuerbare Energien", "CO2-Fußabdruck")
    assert theen.contacts == (
        Contact(
            name="Anna Schmidt",
            role="Managerin",
            matrix="@anna.schmidt:example.org",
            email="anna@example.org",
            phone="+49 361 123456",
            topics=("CO2-Fußabdruck",),
        ),
    )
    assert kb.network("theen") is theen
    assert kb.network("nope") is None


def test_demo_file_is_valid_and_as_described() -> None:
    kb = load_kb(DEMO.read_text(encoding="utf-8"))
    assert len(kb.networks) == 24
    assert len(kb.synonyms) >= 15
    for n in kb.networks:
        assert 4 <= len(n.topics) <= 10, n.id
        assert n.offers, n.id
        assert 1 <= len(n.contacts) <= 3, n.id
        for c in n.contacts:
            assert c.topics, c.name
            assert c.email is not None and c.email.endswith("@example.org")
            assert c.matrix is not None and c.matrix.endswith(":example.org")
    all_topics = {fold(t) for n in kb.networks for t in n.topics}
    for wanted in (
        "Lieferkettengesetz",
        "Brennstoffzelle",
        "Sensorik",
        "Kunststoff",
        "Wasserstoff",
        "CO2-Fußabdruck",
        "Leichtbau",
        "Fachkräftesicherung",
    ):
        assert fold(wanted) in all_topics, wanted


def test_scalars_are_taken_as_written() -> None:
    # YAML would make 0361123456 an (octal) number and "yes" a boolean.
    kb = load_kb(
        network(
            "    short: yes\n"
            "    topics: [2024, Wasserstoff]\n"
            "    contacts:\n"
            "      - {name: A, phone: 0361123456}\n"
        )
    )
    (n,) = kb.networks
    assert n.short == "yes"
    assert n.topics == ("2024", "Wasserstoff")
    assert n.contacts[0].phone == "0361123456"


def test_values_are_stripped_and_empty_optional_lists_allowed() -> None:
    kb = load_kb(network("    short: '  T  '\n    topics:\n    offers: []\n"))
    assert kb.networks[0].short == "T"
    assert kb.networks[0].topics == ()


def test_empty_network_list_is_an_empty_kb() -> None:
    assert load_kb("networks: []\n") == KnowledgeBase()


# -- one test per kind of error, with the line it must point at --------------------------


def test_too_large() -> None:
    error = only_error("networks: []\n" + "#" * MAX_FILE_BYTES)
    assert (error.key, error.line) == ("directory.kb.too_large", None)


def test_yaml_syntax_error_has_its_line() -> None:
    # An unclosed list is named where it opens, not where the file ends.
    error = only_error("networks:\n  - id: a\n    name: [unclosed\n  - id: b\n")
    assert (error.key, error.line) == ("directory.kb.yaml.unclosed_list", 3)


def test_two_documents_are_a_syntax_error() -> None:
    error = only_error("networks: []\n---\nnetworks: []\n")
    assert (error.key, error.line) == ("directory.kb.yaml.documents", 2)


def test_an_unknown_yaml_problem_keeps_the_readers_words() -> None:
    from plugins.directory.kb_file import _syntax_error

    class Odd(yaml.MarkedYAMLError):
        pass

    error = _syntax_error(Odd(problem="something new"), "networks: []\n")
    assert (error.key, error.params) == ("directory.kb.yaml_syntax", {"problem": "something new"})


@pytest.mark.parametrize("text", ["", "\n\n", "# nur ein Kommentar\n"])
def test_an_empty_file_is_called_empty(text: str) -> None:
    assert only_error(text) == KbError(None, "directory.kb.empty_file")


def test_aliases_are_refused_and_billion_laughs_is_cheap() -> None:
    error = only_error(network("    topics: &t [A, B]\n    offers: *t\n"))
    assert (error.key, error.line) == ("directory.kb.alias", 5)
    lol = ["a: &a0 [x, x, x, x, x, x, x, x, x]"]
    lol += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    start = time.perf_counter()
    errors = errors_of("\n".join(lol) + "\nnetworks: []\n")
    assert time.perf_counter() - start < 2
    assert any(e.key == "directory.kb.unknown_key" for e in errors)


def test_duplicate_key() -> None:
    error = only_error(network("    name: Zwei\n"))
    assert (error.key, error.line, error.params["key"]) == ("directory.kb.duplicate_key", 4, "name")


def test_expected_mapping() -> None:
    error = only_error("networks:\n  - just a string\n")
    assert (error.key, error.line) == ("directory.kb.expected_mapping", 2)


def test_expected_list() -> None:
    error = only_error(network("    topics: Wasserstoff\n"))
    assert (error.key, error.line) == ("directory.kb.expected_list", 4)


def test_expected_text() -> None:
    error = only_error(network("    short: [a, b]\n"))
    assert (error.key, error.line) == ("directory.kb.expected_text", 4)


def test_explicit_tags_are_not_text() -> None:
    error = only_error(network("    short: !!python/name:os.system x\n"))
    assert error.key == "directory.kb.expected_text"


def test_unknown_key_with_suggestion() -> None:
    error = only_error(network("    topcis: [A]\n"))
    assert (error.key, error.line) == ("directory.kb.unknown_key_suggestion", 4)
    assert error.params["suggestion"] == "topics"
    assert "topcis" in error.message and "topics" in error.message


def test_unknown_key_without_suggestion() -> None:
    error = only_error(network("    colour: blue\n"))
    assert (error.key, error.line) == ("directory.kb.unknown_key", 4)
    assert "contacts" in str(error.params["allowed"])


def test_missing_field_names_field_and_network() -> None:
    error = only_error("networks:\n  - id: theen\n    topics: [A]\n")
    assert error.key == "directory.kb.missing_field"
    assert error.line == 2
    assert error.params == {"path": "theen", "field": "name"}


def test_missing_id() -> None:
    error = only_error("networks:\n  - name: Netz\n")
    assert (error.key, error.line, error.params["field"]) == ("directory.kb.missing_field", 2, "id")


def test_empty_value() -> None:
    error = only_error('networks:\n  - id: n1\n    name: ""\n')
    assert (error.key, error.line) == ("directory.kb.empty_value", 3)


def test_empty_list_item() -> None:
    error = only_error(network("    topics: [A, '', B]\n"))
    assert (error.key, error.line) == ("directory.kb.empty_value", 4)


def test_too_long() -> None:
    error = only_error(f"networks:\n  - id: n1\n    name: {'x' * 301}\n")
    assert (error.key, error.line, error.params["limit"]) == ("directory.kb.too_long", 3, 300)


def test_too_many_topics() -> None:
    topics = ", ".join(f"T{i}" for i in range(201))
    error = only_error(network(f"    topics: [{topics}]\n"))
    assert (error.key, error.line, error.params["limit"]) == ("directory.kb.too_many", 4, 200)


def test_control_characters() -> None:
    error = only_error(network('    short: "a\\u0007b"\n'))
    assert (error.key, error.line) == ("directory.kb.control_characters", 4)


def test_description_may_have_lines() -> None:
    kb = load_kb(network("    description: |\n      Zeile eins\n      Zeile zwei\n"))
    assert kb.networks[0].description == "Zeile eins\nZeile zwei"


def test_bad_id() -> None:
    error = only_error("networks:\n  - id: The EEN\n    name: X\n")
    assert (error.key, error.line, error.params["value"]) == ("directory.kb.bad_id", 2, "The EEN")


def test_duplicate_id_names_the_first_line() -> None:
    error = only_error(
        "networks:\n  - id: a\n    name: A\n  - id: b\n    name: B\n  - id: a\n    name: C\n"
    )
    assert (error.key, error.line, error.params["first_line"]) == (
        "directory.kb.duplicate_id",
        6,
        2,
    )


@pytest.mark.parametrize(
    "second",
    ['{name: "anna  schmidt "}', '{name: Anna S., matrix: "@Anna:example.org"}'],
)
def test_duplicate_contact_by_name_or_matrix_id(second: str) -> None:
    error = only_error(
        network(
            "    contacts:\n"
            '      - {name: Anna Schmidt, matrix: "@anna:example.org"}\n'
            f"      - {second}\n"
        ).replace('"anna  schmidt "', '"Anna Schmidt"')
    )
    assert (error.key, error.line, error.params["first_line"]) == (
        "directory.kb.duplicate_contact",
        6,
        5,
    )


def test_same_person_in_two_networks_is_fine() -> None:
    contact = '    contacts: [{name: Anna, matrix: "@anna:example.org"}]\n'
    kb = load_kb(f"networks:\n  - id: a\n    name: A\n{contact}  - id: b\n    name: B\n{contact}")
    assert len(kb.networks) == 2


def test_duplicate_topic_is_found_across_spellings() -> None:
    error = only_error(network("    topics: [Wärme, Kälte, Waerme]\n"))
    assert (error.key, error.params["value"], error.params["first_line"]) == (
        "directory.kb.duplicate_entry",
        "Waerme",
        4,
    )


@pytest.mark.parametrize(
    "value", ["anna", "anna:example.org", "@anna", "@an na:example.org", "@anna:", "@a:b:c:d"]
)
def test_bad_matrix_id(value: str) -> None:
    error = only_error(network(f'    contacts: [{{name: A, matrix: "{value}"}}]\n'))
    assert (error.key, error.line) == ("directory.kb.bad_matrix", 4)


@pytest.mark.parametrize(
    "value",
    ["@anna:example.org", "@a.b_c=d/e-f:matrix.example.org:8448", "@x:[::1]", "@x:10.0.0.1"],
)
def test_good_matrix_ids(value: str) -> None:
    load_kb(network(f'    contacts: [{{name: A, matrix: "{value}"}}]\n'))


@pytest.mark.parametrize("value", ["anna", "anna@", "anna@example", "a b@example.org", "@x.org"])
def test_bad_email(value: str) -> None:
    error = only_error(network(f'    contacts: [{{name: A, email: "{value}"}}]\n'))
    assert (error.key, error.line) == ("directory.kb.bad_email", 4)


@pytest.mark.parametrize(
    "value", ["ftp://x.org", "javascript:alert(1)", "www.example.org", "https://", "https://a b"]
)
def test_bad_url(value: str) -> None:
    error = only_error(network(f'    url: "{value}"\n'))
    assert (error.key, error.line) == ("directory.kb.bad_url", 4)


@pytest.mark.parametrize("value", ["call me", "12", "+49 (0) 361 / 55-01 x"])
def test_bad_phone(value: str) -> None:
    error = only_error(network(f'    contacts: [{{name: A, phone: "{value}"}}]\n'))
    assert (error.key, error.line) == ("directory.kb.bad_phone", 4)


def test_synonym_group_too_small() -> None:
    error = only_error("synonyms:\n  - [PV]\nnetworks: []\n")
    assert (error.key, error.line) == ("directory.kb.synonym_group_too_small", 2)


def test_all_errors_are_collected_in_file_order() -> None:
    errors = errors_of(
        "synonyms:\n"
        "  - [PV]\n"  # 2
        "networks:\n"
        "  - id: BAD ID\n"  # 4
        "    name: A\n"
        "    topcis: [x]\n"  # 6
        "  - id: b\n"
        "    name: B\n"
        "    url: ftp://b.org\n"  # 9
        "    contacts:\n"
        "      - {name: C, email: nope}\n"  # 11
        "  - id: c\n"  # 12: name missing
    )
    assert [(e.line, e.key) for e in errors] == [
        (2, "directory.kb.synonym_group_too_small"),
        (4, "directory.kb.bad_id"),
        (6, "directory.kb.unknown_key_suggestion"),
        (9, "directory.kb.bad_url"),
        (11, "directory.kb.bad_email"),
        (12, "directory.kb.missing_field"),
    ]


def test_too_many_errors_are_cut() -> None:
    body = "".join(f"  - id: n{i}\n    name: N\n    url: ftp://x\n" for i in range(MAX_ERRORS + 20))
    errors = errors_of("networks:\n" + body)
    assert len(errors) == MAX_ERRORS + 1
    assert errors[-1].key == "directory.kb.too_many_errors"


def test_file_error_lists_problems() -> None:
    with pytest.raises(KbFileError) as info:
        load_kb(network("    topcis: [A]\n"))
    assert "line 4" in str(info.value)
    assert "topcis" in str(info.value)


# Each kind of error once more, as a table, so that a new message key without a test
# fails here: (file, key, line).
EVERY_KIND: list[tuple[str, str, int | None]] = [
    ("networks: []\n" + "#" * MAX_FILE_BYTES, "directory.kb.too_large", None),
    ("", "directory.kb.empty_file", None),
    ("networks: [\n", "directory.kb.yaml.unexpected_end", 2),
    (network("    topics: [A\n"), "directory.kb.yaml.unclosed_list", 4),
    (network("    contacts: [{name: A\n"), "directory.kb.yaml.unclosed_mapping", 4),
    (network('    short: "A\n'), "directory.kb.yaml.unclosed_quote", 4),
    ("networks:\n\t- id: a\n", "directory.kb.yaml.tab", 2),
    (network("    short: @a\n"), "directory.kb.yaml.bad_character", 4),
    (network("    short: a: b\n"), "directory.kb.yaml.colon", 4),
    (network("    short\n    url: x\n"), "directory.kb.yaml.missing_colon", 4),
    (network("   short: a\n"), "directory.kb.yaml.indentation", 4),
    (network("    topics: [A, , B]\n"), "directory.kb.yaml.missing_value", 4),
    (network('    short: "a\\qb"\n'), "directory.kb.yaml.escape", 4),
    ("networks: []\n---\nnetworks: []\n", "directory.kb.yaml.documents", 2),
    (network("    short: a\x07b\n"), "directory.kb.yaml.control_character", 4),
    (network("    topics: &t [A]\n    offers: *t\n"), "directory.kb.alias", 5),
    (network("    name: B\n"), "directory.kb.duplicate_key", 4),
    ("networks:\n  - x\n", "directory.kb.expected_mapping", 2),
    (network("    topics: A\n"), "directory.kb.expected_list", 4),
    (network("    short: {a: b}\n"), "directory.kb.expected_text", 4),
    (network("    colour: red\n"), "directory.kb.unknown_key", 4),
    (network("    offerz: [A]\n"), "directory.kb.unknown_key_suggestion", 4),
    ("networks:\n  - id: x\n", "directory.kb.missing_field", 2),
    ("networks:\n  - id: x\n    name:\n", "directory.kb.empty_value", 3),
    (network(f"    short: {'s' * 101}\n"), "directory.kb.too_long", 4),
    (
        "synonyms: [" + ", ".join(["[a, b]"] * 2001) + "]\nnetworks: []\n",
        "directory.kb.too_many",
        1,
    ),
    (network('    short: "a\\tb"\n'), "directory.kb.control_characters", 4),
    ("networks:\n  - id: Ä\n    name: A\n", "directory.kb.bad_id", 2),
    ("networks:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", "directory.kb.duplicate_id", 3),
    (network("    contacts: [{name: A}, {name: a}]\n"), "directory.kb.duplicate_contact", 4),
    (network("    offers: [A, a]\n"), "directory.kb.duplicate_entry", 4),
    (network("    contacts: [{name: A, matrix: a}]\n"), "directory.kb.bad_matrix", 4),
    (network("    contacts: [{name: A, email: a}]\n"), "directory.kb.bad_email", 4),
    (network("    url: example.org\n"), "directory.kb.bad_url", 4),
    (network("    contacts: [{name: A, phone: a}]\n"), "directory.kb.bad_phone", 4),
    ("synonyms: [[a]]\nnetworks: []\n", "directory.kb.synonym_group_too_small", 1),
]


@pytest.mark.parametrize(("text", "key", "line"), EVERY_KIND, ids=[k for _, k, _ in EVERY_KIND])
def test_every_kind_of_error(text: str, key: str, line: int | None) -> None:
    error = only_error(text)
    assert (error.key, error.line) == (key, line)


def test_every_message_key_has_a_case() -> None:
    covered = {key for _, key, _ in EVERY_KIND} | {
        "directory.kb.too_many_errors",
        "directory.kb.yaml_syntax",  # test_an_unknown_yaml_problem_keeps_the_readers_words
    }
    assert covered == set(MESSAGES)


def test_ten_thousand_networks_are_allowed_one_more_is_not() -> None:
    many = "networks:\n" + "".join(
        f"  - {{id: n{i}, name: Netz {i}}}\n" for i in range(MAX_NETWORKS)
    )
    assert MAX_NETWORKS == 10_000
    assert len(load_kb(many).networks) == MAX_NETWORKS
    error = only_error(many + "  - {id: zu-viel, name: Zu viel}\n")
    assert (error.key, error.line) == ("directory.kb.too_many", 2)
