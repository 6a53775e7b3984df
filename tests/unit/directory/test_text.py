"""German normalisation: folding, words, stop words, stems, compounds."""

from __future__ import annotations

import pytest

from plugins.directory.text import (
    STOP_WORDS,
    CompoundSplitter,
    Normaliser,
    Piece,
    Word,
    alternated,
    fold,
    infer_modifiers,
    tokenize,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Wärme", "Waerme"),
        ("WÄRME", "wärme"),
        ("Straße", "Strasse"),
        ("Fußabdruck", "FUSSABDRUCK"),
        ("Öko", "oeko"),
        ("Café", "cafe"),
        ("Wa\u0308rme", "Wärme"),  # decomposed umlaut, as some keyboards send it
        ("CO²", "co2"),
    ],
)
def test_fold_makes_spellings_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_fold_keeps_umlaut_words_apart_from_plain_ones() -> None:
    assert fold("Bäcker") != fold("Backer")


def test_tokenize_keeps_digits_and_hyphen_parts() -> None:
    assert tokenize("CO2-Fußabdruck und 3D-Druck") == [
        Word("co2fussabdruck", ("co2", "fussabdruck")),
        Word("und", ("und",)),
        Word("3ddruck", ("3d", "druck")),
    ]
    assert [w.text for w in tokenize("Industrie 4.0, H2!")] == ["industrie", "4.0", "h2"]
    assert [w.text for w in tokenize("Maschinen- und Anlagenbau")] == [
        "maschinen",
        "und",
        "anlagenbau",
    ]
    assert tokenize("E‑Mobilität")[0].parts == ("e", "mobilitaet")  # non-breaking hyphen


def test_words_drop_question_words_in_both_languages() -> None:
    norm = Normaliser()
    assert [w.text for w in norm.words("Wer ist zuständig für Wasserstoff?")] == ["wasserstoff"]
    assert [w.text for w in norm.words("Wer kümmert sich um das LkSG?")] == ["lksg"]
    assert [w.text for w in norm.words("Welche Firma sucht einen Partner für KI")] == ["ki"]
    assert [w.text for w in norm.words("who handles the supply chain act?")] == [
        "supply",
        "chain",
        "act",
    ]


def test_words_keep_a_text_that_is_only_stop_words() -> None:
    assert [w.text for w in Normaliser().words("Unternehmen")] == ["unternehmen"]


def test_domain_abbreviations_are_not_stop_words() -> None:
    assert {"it", "ki", "pv", "h2", "art"}.isdisjoint(STOP_WORDS)


@pytest.mark.parametrize(
    "forms",
    [
        ("sensoren", "sensorik", "sensor"),
        ("brennstoffzellen", "brennstoffzelle"),
        ("waerme", "warme"),  # "Wärme" folded, and typed without the umlaut
        ("fachkraefte", "fachkraft"),
        ("lieferketten", "lieferkette"),
    ],
)
def test_stems_unite_inflections(forms: tuple[str, ...]) -> None:
    norm = Normaliser()
    assert len({norm.stem(f) for f in forms}) == 1


def splitter(*known: str) -> CompoundSplitter:
    norm = Normaliser()
    vocabulary = set(known) | {norm.stem(k) for k in known}
    return CompoundSplitter(vocabulary, norm.stem)


@pytest.mark.parametrize(
    ("word", "known", "parts"),
    [
        ("wasserstofftankstelle", ("wasserstoff", "tankstelle"), ["wasserstoff", "tankstelle"]),
        ("wasserstofftankstellen", ("wasserstoff", "tankstelle"), ["wasserstoff", "tankstellen"]),
        ("kunststoffrecycling", ("kunststoff", "recycling"), ["kunststoff", "recycling"]),
        ("lieferkettengesetz", ("lieferkette", "gesetz"), ["lieferkette", "gesetz"]),  # Fuge -n
        ("arbeitsschutz", ("arbeit", "schutz"), ["arbeit", "schutz"]),  # Fugen-s
        ("h2tankstelle", ("h2", "tankstelle"), ["h2", "tankstelle"]),
        ("holzhausbau", ("holz", "haus", "bau"), ["holz", "haus", "bau"]),
    ],
)
def test_split_into_known_parts(word: str, known: tuple[str, ...], parts: list[str]) -> None:
    assert splitter(*known).split(word) == parts


def test_split_needs_all_parts_known() -> None:
    assert splitter("wasserstoff").split("wasserstoffbusse") is None
    assert splitter("wasserstoff", "busse").split("wasserstoff") is None  # one part: no split


def test_segment_allows_unknown_stretches() -> None:
    pieces = splitter("pflege").segment("pflegeheime")
    assert pieces == [Piece("pflege", True), Piece("heime", False)]
    assert splitter("bau").segment("kaffeemaschinenbau") is None  # too little is known


def test_modifiers_only_count_in_front() -> None:
    norm = Normaliser()
    split = CompoundSplitter({"schweissen"}, norm.stem, modifiers={"laser"})
    assert split.split("laserschweissen") == ["laser", "schweissen"]
    assert split.split("schweissenlaser") is None


def test_modifiers_are_learned_from_the_vocabulary() -> None:
    norm = Normaliser()
    forms = {
        "lasertechnik",
        "messtechnik",
        "umwelttechnik",
        "windenergie",
        "bauwirtschaft",
        "wasserwirtschaft",
        "energien",
        "logistik",
        "intralogistik",
    }
    known = forms | {norm.stem(f) for f in forms}
    learned = infer_modifiers(forms, known, norm.stem)
    assert {"laser", "mess", "umwelt", "wind", "intra"} <= learned
    assert "bauw" not in learned  # every "…irtschaft" is a "…wirtschaft": no cut there
    assert "logi" not in learned  # "logistik" only ends words that contain it whole


def test_alternated_changes_a_strong_verbs_vowel_both_ways() -> None:
    assert alternated("spritzgiess") == ["spritzguss"]
    assert alternated("drohnenflug") == ["drohnenflieg"]
    assert alternated("laserschneid") == ["laserschnitt"]
    assert alternated("wasserstoff") == []
