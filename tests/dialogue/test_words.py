"""Swedish-aware word counting and the SVG word cloud (tillit.dialogue.analysis.words)."""

import pickle
import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tillit.dialogue.analysis.words import (
    CLOUD_COLOURS,
    WordCount,
    stop_words,
    tokens,
    word_cloud_svg,
    word_frequencies,
    word_key,
)

SVG = "{http://www.w3.org/2000/svg}"

# The managers' day in Norrköping: what the managers sent in as success factors, as people type them.
NORRKOPING = [
    "Delaktighet",
    "delaktighet!",
    "Delaktighet",
    "mer delaktighet",
    "Delaktiga medarbetare",
    "delaktigheten",
    "DELAKTIGHET",
    "Delaktighet, delaktighet, delaktighet",
    "Kommunikation",
    "kommunikationen",
    "Bra kommunikation",
    "Tydlighet",
    "tydliga mål",
    "Tydlighet.",
    "Arbetsglädje",
    "arbetsglädje!",
    "Tid",
    "tiden",
    "Förberedelse och reflektion",
    "Uthållighet",
    "Tidig planering",
    "Det är som det är",
]


def by_word(counts: list[WordCount]) -> dict[str, WordCount]:
    return {count.word: count for count in counts}


def test_norrkoping_delaktighet_is_by_far_the_most_frequent():
    counts = word_frequencies(NORRKOPING)
    first = counts[0]
    assert first.word == "delaktighet"
    assert first.key == "delaktig"
    assert first.count == 8  # contributions, whatever their form or case
    assert first.occurrences == 10  # "delaktighet, delaktighet, delaktighet" says it three times
    assert set(first.variants) == {"delaktighet", "delaktiga", "delaktigheten"}
    assert [c.word for c in counts[1:3]] == ["kommunikation", "tydlighet"]
    assert by_word(counts)["kommunikation"].count == 3
    assert by_word(counts)["tydlighet"].variants == ("tydlighet", "tydliga")


def test_norrkoping_stop_words_are_gone_and_tid_is_not_tidig():
    words = by_word(word_frequencies(NORRKOPING, limit=None))
    for stop in ("och", "det", "är", "som", "mer"):
        assert stop not in words
    assert words["tid"].count == 2
    assert words["tid"].variants == ("tid", "tiden")
    assert words["tidig"].count == 1
    assert words["arbetsglädje"].count == 2
    assert "arbete" not in words


@pytest.mark.parametrize(
    "forms",
    [
        (
            "delaktighet",
            "Delaktighet",
            "delaktigheten",
            "delaktig",
            "delaktiga",
            "delaktigt",
            "delaktigheter",
        ),
        ("tydlighet", "tydligheten", "tydlig", "tydliga", "tydligt", "tydligare"),
        ("uthållighet", "uthållig", "uthålliga"),
        ("tid", "tiden", "tider", "tids"),
        ("kommunikation", "kommunikationen", "kommunikationer"),
        ("ledning", "ledningen", "ledningar", "ledningarna"),
        ("förberedelse", "förberedelsen", "förberedelser"),
        ("trygghet", "trygg", "trygga", "tryggt"),
        ("förtroende", "förtroendet"),
        ("engagemang", "engagemanget"),
        ("lärande", "lärandet"),
        ("medarbetare", "medarbetarna", "medarbetaren"),
        ("ansvar", "ansvaret"),
        ("möte", "mötet", "möten", "mötena"),
        ("kollega", "kollegan", "kollegor", "kollegorna"),
        ("arbetsmiljö", "arbetsmiljön"),
        ("syfte", "syftet"),
        ("APT-möte", "apt-mötet"),
    ],
)
def test_forms_of_one_word_share_a_key(forms):
    assert len({word_key(form) for form in forms}) == 1, {form: word_key(form) for form in forms}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("tid", "tidig"),
        ("tiden", "tidigt"),
        ("arbete", "arbetsglädje"),
        ("mod", "modig"),
        ("stress", "stressig"),
        ("lärande", "lärare"),
        ("förberedelse", "förbereda"),
        ("tydlighet", "otydlighet"),
        ("ledning", "ledare"),
        ("handlingsplan", "handling"),
    ],
)
def test_different_words_keep_different_keys(one, other):
    assert word_key(one) != word_key(other)


def test_budget_and_plan_words_keep_their_forms_together():
    assert word_key("budget") == word_key("budgeten")
    assert word_key("handlingsplan") == word_key("handlingsplanen")


def test_tokens_keep_swedish_letters_and_compounds_and_drop_punctuation_and_numbers():
    found = [
        word for word, _ in tokens("”Delaktighet”! På APT:n, 2019: e-post & COVID-19 – tid–resurser; 800 kr")
    ]
    assert found == ["Delaktighet", "På", "APT", "e-post", "COVID-19", "tid", "resurser", "kr"]


def test_tokens_know_where_sentences_begin():
    assert tokens("Tid. Mer tid\nTydlighet") == [
        ("Tid", True),
        ("Mer", True),
        ("tid", False),
        ("Tydlighet", True),
    ]


def test_decomposed_letters_count_as_the_composed_ones():
    decomposed = unicodedata.normalize("NFD", "Arbetsglädje")
    counts = word_frequencies([decomposed, "arbetsglädje"])
    assert [(c.word, c.count) for c in counts] == [("arbetsglädje", 2)]


def test_case_and_punctuation_do_not_make_new_words():
    counts = word_frequencies(["TYDLIGHET!!!", "tydlighet?", "(Tydlighet)", "tydlighet..."])
    assert [(c.word, c.count, c.variants) for c in counts] == [("tydlighet", 4, ("tydlighet",))]


def test_names_and_abbreviations_keep_their_capitals():
    counts = by_word(
        word_frequencies(["Vi pratade om APT:n i Norrköping", "Mer tid på APT", "Norrköping växer"])
    )
    assert counts["APT"].count == 2
    assert counts["Norrköping"].count == 2


def test_empty_input_and_notes_without_words():
    assert word_frequencies([]) == []
    assert word_frequencies(["", "   ", "!!!", "123 456", "och det är så"]) == []


def test_limit_and_ranking_ties_in_swedish_order():
    counts = word_frequencies(["ödmjukhet", "ansvar", "ärlighet", "bemötande"], limit=3)
    assert [c.word for c in counts] == ["ansvar", "bemötande", "ärlighet"]
    assert len(word_frequencies(NORRKOPING, limit=None)) > len(word_frequencies(NORRKOPING, limit=5)) == 5


def test_english_option():
    counts = word_frequencies(
        ["Participation!", "more participation", "Clear goals", "clarity and the goal", "It is what it is"],
        language="en",
    )
    assert [(c.word, c.count) for c in counts[:2]] == [("goal", 2), ("participation", 2)]
    assert "it" not in by_word(counts) and "the" not in by_word(counts)
    assert word_key("goals", language="en") == word_key("goal", language="en")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unsupported language"):
        word_frequencies(["hej"], language="de")  # type: ignore[arg-type]


def test_stop_word_lists_are_thorough_and_hold_no_content_words():
    swedish = stop_words("sv")
    assert len(swedish) >= 300
    assert {
        "och",
        "att",
        "det",
        "som",
        "en",
        "på",
        "är",
        "av",
        "för",
        "med",
        "till",
        "den",
        "har",
        "inte",
    } <= swedish
    assert not {"delaktighet", "tid", "mål", "bra", "arbete", "tillit"} & swedish
    assert {"the", "and", "is", "of"} <= stop_words("en")


def test_word_counts_survive_the_cache():
    counts = word_frequencies(NORRKOPING)
    assert pickle.loads(pickle.dumps(counts)) == counts  # noqa: S301 - our own data, as the cache stores it


# Hypothesis: the notes people type, in a Swedish alphabet with punctuation, digits and line breaks.
swedish_text = st.text(alphabet="abcdefghijklmnoprstuvyåäöé -!.,:?\n019", max_size=60)
swedish_words = st.sampled_from(
    [
        "delaktighet",
        "Delaktiga",
        "tid",
        "tiden",
        "tidig",
        "och",
        "mer",
        "Kommunikation",
        "mål",
        "APT-möte",
        "Tydlig",
    ]
)
notes = st.lists(st.one_of(swedish_text, st.lists(swedish_words, max_size=6).map(" ".join)), max_size=25)


@settings(max_examples=150, deadline=None)
@given(notes)
def test_counts_never_exceed_the_number_of_contributions(texts):
    for count in word_frequencies(texts, limit=None):
        assert 1 <= count.count <= len(texts)
        assert count.occurrences >= count.count
        assert count.word and count.variants and count.word in count.variants


@settings(max_examples=150, deadline=None)
@given(notes)
def test_upper_case_gives_the_same_keys_and_counts(texts):
    def summary(counts: list[WordCount]) -> set[tuple[str, int, int]]:
        return {(c.key, c.count, c.occurrences) for c in counts}

    assert summary(word_frequencies(texts, limit=None)) == summary(
        word_frequencies([text.upper() for text in texts], limit=None)
    )


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", min_size=2, max_size=20))
def test_every_word_has_a_key(word):
    assert word_key(word)
    assert word_key(word) == word_key(word.upper())


# ---------------------------------------------------------------------------------------------------------
# The word cloud


def cloud(counts: list[WordCount], **size: int) -> ET.Element:
    return ET.fromstring(word_cloud_svg(counts, **size))  # noqa: S314 - our own output


def texts_of(svg: ET.Element) -> list[ET.Element]:
    return list(svg.iter(f"{SVG}text"))


def test_cloud_is_valid_svg_with_every_top_word_once_and_an_accessible_title():
    counts = word_frequencies(NORRKOPING)
    svg = cloud(counts)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert title.text.startswith("Ordmoln: delaktighet (8), kommunikation (3)")
    assert svg.get("aria-label") == title.text
    words = [element.text for element in texts_of(svg)]
    assert sorted(words) == sorted(c.word for c in counts)
    assert len(words) == len(set(words))


def test_cloud_sizes_decrease_with_rank_and_the_top_word_is_in_the_centre():
    counts = word_frequencies(NORRKOPING)
    elements = texts_of(cloud(counts, width=600, height=360))
    sizes = [float(element.get("font-size", "0")) for element in elements]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > sizes[-1]
    top = elements[0]
    assert top.text == "delaktighet"
    assert float(top.get("x", "0")) == pytest.approx(300, abs=1)


def test_cloud_words_stay_inside_and_do_not_overlap():
    counts = [WordCount(f"k{n}", f"ord{n}" * (1 + n % 3), 60 - n, 60 - n, (f"ord{n}",)) for n in range(50)]
    width, height = 720, 400
    boxes = []
    for element in texts_of(cloud(counts, width=width, height=height)):
        size = float(element.get("font-size", "0"))
        x, baseline = float(element.get("x", "0")), float(element.get("y", "0"))
        # The layout's own estimate is generous; a tighter one (0.5 em a letter) must not overlap either.
        half = len(element.text or "") * 0.5 * size / 2
        box = (x - half, baseline - 0.8 * size, x + half, baseline + 0.2 * size)
        assert box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
        for other in boxes:
            assert not (box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3])
        boxes.append(box)
    assert len(boxes) == 50


def test_cloud_is_deterministic_and_escapes_text():
    counts = [WordCount("a", '<b>&"', 3, 3, ('<b>&"',)), WordCount("c", "tid", 2, 2, ("tid",))]
    assert word_cloud_svg(counts) == word_cloud_svg(list(counts))
    svg = cloud(counts)
    assert [element.text for element in texts_of(svg)] == ['<b>&"', "tid"]


def test_cloud_of_nothing_is_still_a_labelled_picture():
    svg = cloud([])
    assert svg.get("role") == "img"
    assert texts_of(svg) == []
    assert word_cloud_svg([], label="Word cloud").count("Word cloud") == 2


def test_cloud_shrinks_words_to_fit_a_small_picture():
    counts = word_frequencies(NORRKOPING)
    svg = cloud(counts, width=240, height=160)
    assert len(texts_of(svg)) == len(counts)


@pytest.mark.parametrize(("width", "height"), [(160, 90), (100, 30), (2000, 60)])
def test_cloud_with_too_many_words_shows_the_most_frequent_that_fit(width, height):
    counts = [WordCount(f"k{n}", f"samverkansformer{n}", 500 - n, 500 - n, ()) for n in range(300)]
    svg = cloud(counts, width=width, height=height)
    words = [element.text for element in texts_of(svg)]
    assert len(words) < 300
    assert words == sorted(words, key=lambda word: int((word or "").removeprefix("samverkansformer")))
    sizes = [float(element.get("font-size", "0")) for element in texts_of(svg)]
    assert sizes == sorted(sizes, reverse=True)


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", CLOUD_COLOURS)
def test_cloud_colours_meet_wcag_aa_contrast_on_white(colour):
    assert re.fullmatch(r"#[0-9a-f]{6}", colour)
    assert (1.05) / (relative_luminance(colour) + 0.05) >= 4.5
