"""Themes from contributions and the facilitator's rename, merge and split (dialogue.analysis.themes)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tillit.dialogue.analysis.themes import (
    OTHER_KEY,
    Contribution,
    Theme,
    ThemeEditError,
    analyse,
    group_into_themes,
    merge,
    rename,
    split,
)
from tillit.dialogue.analysis.words import word_frequencies

# Success factors from the managers' day, written at four tables.
NOTES = [
    ("Eldkvarn", "Delaktighet"),
    ("Eldkvarn", "delaktighet!"),
    ("Eldkvarn", "Tid"),
    ("Eldkvarn", "Förberedelse och reflektion"),
    ("Eldkvarn", "Uthållighet"),
    ("Hamnen", "mer delaktighet"),
    ("Hamnen", "Delaktiga medarbetare"),
    ("Hamnen", "Kommunikation"),
    ("Hamnen", "tydliga mål"),
    ("Hamnen", "och så vidare"),
    ("Knäppingsborg", "delaktigheten"),
    ("Knäppingsborg", "kommunikationen"),
    ("Knäppingsborg", "Tydlighet"),
    ("Knäppingsborg", "tiden"),
    ("Strömparken", "Delaktighet"),
    ("Strömparken", "Bra kommunikation"),
    ("Strömparken", "Tydlighet i målen"),
    ("Strömparken", "Arbetsglädje"),
    ("Strömparken", "arbetsglädje"),
    ("Strömparken", "Det är som det är"),
]


def contributions() -> list[Contribution]:
    return [Contribution(id=n, text=text, table=table) for n, (table, text) in enumerate(NOTES, start=1)]


def texts(theme: Theme) -> list[str]:
    return [contribution.text for contribution in theme.contributions]


def by_key(themes: list[Theme]) -> dict[str, Theme]:
    return {theme.key: theme for theme in themes}


def test_notes_about_the_same_thing_form_a_theme_with_its_evidence():
    themes = group_into_themes(contributions())
    delaktighet = themes[0]
    assert delaktighet.name == "Delaktighet"
    assert delaktighet.key == "delaktig"
    assert texts(delaktighet) == [
        "Delaktighet",
        "delaktighet!",
        "mer delaktighet",
        "Delaktiga medarbetare",
        "delaktigheten",
        "Delaktighet",
    ]
    assert delaktighet.notes == 6
    assert delaktighet.tables == 4
    assert delaktighet.contribution_ids == (1, 2, 6, 7, 11, 15)
    assert delaktighet.words[0].word == "delaktighet" and delaktighet.words[0].count == 6

    themes_by_key = by_key(themes)
    assert texts(themes_by_key["kommunikation"]) == ["Kommunikation", "kommunikationen", "Bra kommunikation"]
    assert themes_by_key["kommunikation"].tables == 3
    assert set(texts(themes_by_key["tydlig"])) == {"tydliga mål", "Tydlighet", "Tydlighet i målen"}
    assert themes_by_key["tydlig"].name == "Tydlighet, mål"
    assert texts(themes_by_key["tid"]) == ["Tid", "tiden"]
    assert themes_by_key["arbetsglädj"].notes == 2 and themes_by_key["arbetsglädj"].tables == 1


def test_what_fits_nowhere_is_in_ovrigt_last():
    themes = group_into_themes(contributions())
    other = themes[-1]
    assert other.other and other.key == OTHER_KEY and other.name == "Övrigt"
    # Only stop words, or words that nobody else used.
    assert texts(other) == [
        "Förberedelse och reflektion",
        "Uthållighet",
        "och så vidare",
        "Det är som det är",
    ]
    assert not any(theme.other for theme in themes[:-1])
    assert [theme.notes for theme in themes[:-1]] == sorted(
        (theme.notes for theme in themes[:-1]), reverse=True
    )


def test_other_can_be_named_in_the_callers_language():
    themes = group_into_themes([Contribution(1, "it is what it is")], language="en", other_name="Other")
    assert [(theme.name, theme.other) for theme in themes] == [("Other", True)]


def test_empty_and_stop_word_only_input():
    assert group_into_themes([]) == []
    themes = group_into_themes([Contribution(1, "och det"), Contribution(2, ""), Contribution(3, "!!!")])
    assert len(themes) == 1 and themes[0].other and themes[0].notes == 3 and themes[0].tables == 0
    assert themes[0].words == ()


def test_max_themes_caps_the_themes_and_the_rest_goes_to_ovrigt():
    themes = group_into_themes(contributions(), max_themes=2)
    assert [theme.key for theme in themes] == ["delaktig", "kommunikation", OTHER_KEY]
    assert sum(theme.notes for theme in themes) == len(NOTES)
    with pytest.raises(ValueError, match="max_themes"):
        group_into_themes(contributions(), max_themes=0)


def test_a_word_that_only_describes_a_theme_does_not_make_its_own():
    notes = ["Tydliga mål", "tydliga mål", "tydliga mål!", "Tydlighet", "tydlighet", "mål"]
    notes += ["Delaktighet", "delaktighet", "delaktiga", "delaktighet!", "Tid", "tiden", "tid"]
    themes = group_into_themes([Contribution(n, text) for n, text in enumerate(notes)])
    assert [(theme.key, theme.notes) for theme in themes] == [("tydlig", 6), ("delaktig", 4), ("tid", 3)]


def test_the_days_own_theme_does_not_swallow_the_others():
    # Delaktighet is in almost every note: that it comes with kommunikation says nothing.
    notes = ["delaktighet och kommunikation"] * 6 + ["delaktighet och tid"] * 6 + ["delaktighet"] * 6
    themes = group_into_themes([Contribution(n, text) for n, text in enumerate(notes)])
    assert {theme.key for theme in themes} == {"delaktig", "kommunikation", "tid"}


def test_evaluative_words_do_not_make_themes():
    notes = ["Bra kommunikation", "bra stämning", "bra kommunikation", "Bra stämning i gruppen", "bra"]
    themes = group_into_themes([Contribution(n, text) for n, text in enumerate(notes)])
    assert [theme.key for theme in themes if not theme.other] == ["kommunikation", "stämning"]


def test_grouping_is_deterministic():
    assert group_into_themes(contributions()) == group_into_themes(contributions())


def test_analyse_gives_words_and_themes_from_one_reading():
    analysis = analyse(contributions(), limit=5)
    assert list(analysis.words) == word_frequencies([text for _, text in NOTES], limit=5)
    assert list(analysis.themes) == group_into_themes(contributions())


def test_tables_are_counted_once_and_notes_without_table_not_at_all():
    notes = [Contribution(1, "tid", "A"), Contribution(2, "tiden", "A"), Contribution(3, "Tid", None)]
    (theme,) = group_into_themes(notes)
    assert (theme.notes, theme.tables) == (3, 1)


# ---------------------------------------------------------------------------------------------------------
# The facilitator's edits


def test_rename_changes_the_name_and_keeps_the_suggestion():
    themes = group_into_themes(contributions())
    renamed = rename(themes, "tydlig", "  Tydliga   mål ")
    assert by_key(renamed)["tydlig"].name == "Tydliga mål"
    assert by_key(renamed)["tydlig"].suggested_name == "Tydlighet, mål"
    assert by_key(themes)["tydlig"].name == "Tydlighet, mål"  # the original list is untouched
    assert [theme.key for theme in renamed] == [theme.key for theme in themes]
    with pytest.raises(ThemeEditError, match="name"):
        rename(themes, "tydlig", "   ")
    with pytest.raises(ThemeEditError, match="no theme"):
        rename(themes, "nothing", "Namn")


def test_merge_joins_themes_in_the_place_of_the_first():
    themes = group_into_themes(contributions())
    keys = [theme.key for theme in themes]
    merged = merge(themes, ["tid", "kommunikation"], "Kommunikation och tid")
    position = keys.index("kommunikation")
    assert merged[position].key == "kommunikation"
    assert merged[position].name == "Kommunikation och tid"
    assert merged[position].notes == 5
    assert merged[position].tables == 4
    assert {word.word for word in merged[position].words} >= {"kommunikation", "tid"}
    assert "tid" not in by_key(merged)
    assert len(merged) == len(themes) - 1
    assert sum(theme.notes for theme in merged) == len(NOTES)
    assert merge(themes, ["tid", "kommunikation"])[position].name == "Kommunikation"


def test_merge_counts_shared_words_together():
    themes = [
        Theme(
            "a",
            "A",
            "A",
            (Contribution(1, "tid"),),
            group_into_themes([Contribution(1, "tid"), Contribution(2, "tid")])[0].words,
        ),
        Theme(
            "b",
            "B",
            "B",
            (Contribution(2, "tid"),),
            group_into_themes([Contribution(1, "tid"), Contribution(2, "tid")])[0].words,
        ),
    ]
    (merged,) = merge(themes, ["b", "a"])
    assert merged.key == "a"
    assert merged.words[0].count == 4


def test_merge_needs_two_known_themes():
    themes = group_into_themes(contributions())
    with pytest.raises(ThemeEditError, match="two"):
        merge(themes, ["tid", "tid"])
    with pytest.raises(ThemeEditError, match="no theme"):
        merge(themes, ["tid", "nothing"])


def test_merging_ovrigt_into_a_theme_makes_an_ordinary_theme():
    themes = group_into_themes(contributions())
    merged = merge(themes, [OTHER_KEY, "tid"])
    assert not any(theme.other for theme in merged)


def test_split_moves_notes_to_a_new_theme_right_after():
    themes = group_into_themes(contributions())
    position = [theme.key for theme in themes].index("tydlig")
    tydlig = themes[position]
    moving = [c.id for c in tydlig.contributions if "mål" in c.text]
    result = split(themes, "tydlig", moving)
    assert len(result) == len(themes) + 1
    assert result[position].key == "tydlig"
    assert texts(result[position]) == ["Tydlighet"]
    new = result[position + 1]
    assert new.key == "tydlig#2"
    assert set(new.contribution_ids) == set(moving)
    assert new.name == new.suggested_name == "Mål, tydlighet"
    assert (new.notes, new.tables) == (2, 2)
    assert sum(theme.notes for theme in result) == len(NOTES)
    named = split(result, "tydlig#2", moving[:1], "Målen")
    assert [theme.key for theme in named][position + 1 : position + 3] == ["tydlig#2", "tydlig#3"]
    assert named[position + 2].name == "Målen"


def test_split_out_of_ovrigt_makes_an_ordinary_theme():
    themes = group_into_themes(contributions())
    other = themes[-1]
    result = split(themes, OTHER_KEY, [other.contribution_ids[0]], "Förberedelse")
    assert result[-2].other and not result[-1].other
    assert result[-1].name == "Förberedelse" and result[-1].notes == 1


def test_split_refuses_what_cannot_be_done():
    themes = group_into_themes(contributions())
    tid = by_key(themes)["tid"]
    with pytest.raises(ThemeEditError, match="not in the theme"):
        split(themes, "tid", [999])
    with pytest.raises(ThemeEditError, match="choose"):
        split(themes, "tid", [])
    with pytest.raises(ThemeEditError, match="at least one"):
        split(themes, "tid", tid.contribution_ids)


# ---------------------------------------------------------------------------------------------------------
# Properties

vocabulary = st.sampled_from(
    [
        "delaktighet",
        "Delaktiga",
        "tid",
        "tiden",
        "tidig",
        "kommunikation",
        "mål",
        "tydliga",
        "och",
        "mer",
        "bra",
        "arbetsglädje",
        "trygghet",
        "APT-möte",
    ]
)
notes = st.lists(
    st.tuples(st.lists(vocabulary, max_size=5).map(" ".join), st.sampled_from(["A", "B", "C", None])),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(notes, st.integers(min_value=1, max_value=6))
def test_every_contribution_is_in_exactly_one_theme(written, max_themes):
    given_notes = [Contribution(n, text, table) for n, (text, table) in enumerate(written)]
    themes = group_into_themes(given_notes, max_themes=max_themes)
    ids = [i for theme in themes for i in theme.contribution_ids]
    assert sorted(ids) == list(range(len(given_notes)))
    assert len([theme for theme in themes if not theme.other]) <= max_themes
    assert len({theme.key for theme in themes}) == len(themes)
    for theme in themes:
        assert theme.notes >= 1 and theme.tables <= 3
        assert theme.other or theme.notes >= 2
