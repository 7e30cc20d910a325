"""The survey builder and the life of a survey: templates, questions, sending, answering, reminders, rounds."""

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from tests.organisation.factories import MembershipFactory, PersonFactory, TeamFactory, UnitFactory
from tillit.core.models import HistoryEntry
from tillit.followup import surveys
from tillit.followup.models import Answer, Item, Recipient, Response, Section, Survey
from tillit.followup.templates_data import AGREE_HIGH, AGREE_LOW, TEMPLATES
from tillit.notifications.models import Kind, Notification

from .survey_factories import (
    CHOICES,
    answer,
    answer_all,
    close,
    coach_of,
    facilitator,
    in_days,
    sent,
    sent_survey,
    sheet,
    survey,
    team_with_members,
    today,
)

pytestmark = pytest.mark.django_db


def items_of(made: Survey) -> dict[str, Item]:
    return {item.text: item for item in made.items.all()}


# --- Templates --------------------------------------------------------------------------------------

EXPECTED_KEYS = {
    "self_organisation": [
        "citizen_needs",
        "citizen_involved",
        "team_open",
        "team_support",
        "decide_clear",
        "decide_fast",
        "lead_shared",
        "lead_support",
        "free_text",
    ],
    "trust_principles": [
        "trust",
        "citizen_focus",
        "whole",
        "room",
        "support",
        "knowledge",
        "openness",
        "free_text",
    ],
    "effects": ["influence", "collaboration", "pace"],
    "trust_in_management": [
        "manager_trusts",
        "manager_trusted",
        "manager_listens",
        "org_trusted",
        "org_listens",
    ],
}


def test_the_four_templates_exist() -> None:
    assert set(TEMPLATES) == set(EXPECTED_KEYS)


@pytest.mark.parametrize("template", sorted(EXPECTED_KEYS))
def test_a_template_gives_its_sections_and_keyed_questions(template: str) -> None:
    team, _members = team_with_members(5)
    made = survey(team=team, template=template)
    assert made.template == template
    sections = list(made.sections.all())
    assert [s.title for s in sections] == [str(s.title) for s in TEMPLATES[template].sections]
    items = list(made.items.order_by("order"))
    assert [item.key for item in items] == EXPECTED_KEYS[template]
    assert [item.order for item in items] == list(range(1, len(items) + 1))
    assert all(item.section is not None for item in items)
    for item in items:
        if item.key == "free_text":
            assert item.kind == Item.Kind.TEXT
            assert (item.low_label, item.high_label) == ("", "")
        else:
            assert item.kind == Item.Kind.SCALE5
            # A scale has labelled ends.
            assert item.low_label and item.high_label


def test_a_template_is_written_in_the_creators_language() -> None:
    team, _members = team_with_members(5)
    with translation.override("en"):
        made = survey(team=team, template="effects")
    assert [item.text for item in made.items.order_by("order")] == [
        "I have influence over how our work is planned and done.",
        "We collaborate well with others around the people we serve.",
        "Good ideas are tried out quickly in our work.",
    ]
    assert made.items.first().low_label == "Do not agree at all"
    with translation.override("sv"):
        swedish = survey(team=team, template="effects")
        expected = [str(item.text) for item in TEMPLATES["effects"].sections[0].items]
        assert [item.text for item in swedish.items.order_by("order")] == expected
        assert swedish.items.first().high_label == str(AGREE_HIGH)


def test_an_unknown_template_is_refused() -> None:
    team, _members = team_with_members(5)
    with pytest.raises(ValidationError) as error:
        survey(team=team, template="nöjd-kund-index")
    assert "template" in error.value.message_dict
    assert not Survey.objects.exists()


# --- Creating -----------------------------------------------------------------------------------------


def test_survey_create_records_history_and_keeps_the_team() -> None:
    team, _members = team_with_members(5)
    coach = coach_of(team)
    made = survey(actor=coach, team=team, questions=False)
    assert (made.audience, made.team, made.unit, made.created_by) == ("team", team, None, coach)
    assert made.anonymous is True
    assert made.threshold == 5
    assert HistoryEntry.objects.for_object(made).filter(action="survey.created", actor=coach).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"threshold": 2}, "threshold"),
        ({"threshold": 0}, "threshold"),
        ({"opens_on": in_days(5), "closes_on": in_days(1)}, "closes_on"),
        ({"audience": "team", "team": None}, "team"),
        ({"audience": "unit", "unit": None}, "unit"),
    ],
)
def test_survey_create_refuses(fields: dict[str, Any], field: str) -> None:
    team, _members = team_with_members(5)
    values = {"team": team, "questions": False, "actor": facilitator(), **fields}
    with pytest.raises(ValidationError) as error:
        survey(**values)
    assert field in error.value.message_dict
    assert not Survey.objects.exists()


def test_the_smallest_group_can_be_three_but_never_less() -> None:
    team, _members = team_with_members(5)
    assert survey(team=team, threshold=3, questions=False).threshold == 3
    with pytest.raises(ValidationError):
        survey(team=team, threshold=2, questions=False)


def test_a_team_survey_forgets_a_unit_and_a_link_survey_both() -> None:
    team, _members = team_with_members(5)
    unit = UnitFactory.create()
    made = survey(team=team, unit=unit, audience="team", questions=False)
    assert (made.team, made.unit) == (team, None)
    link = survey(team=team, unit=unit, audience="link", questions=False)
    assert (link.team, link.unit) == (None, None)


def test_survey_create_with_a_team_and_the_default_audience() -> None:
    team, _members = team_with_members(5)
    made = surveys.survey_create(
        actor=coach_of(team), title="Puls", team=team, opens_on=today(), closes_on=in_days(7)
    )
    assert (made.audience, made.team, made.unit) == ("team", team, None)
    made.refresh_from_db()
    assert (made.audience, made.team) == ("team", team)


# --- Sections and questions ------------------------------------------------------------------------


def test_sections_and_questions_are_added_in_order() -> None:
    team, _members = team_with_members(5)
    made = survey(team=team, questions=False)
    actor = made.created_by
    first = surveys.section_add(actor=actor, survey=made, title="Arbetet", description="Om vardagen")
    second = surveys.section_add(actor=actor, survey=made, title="Ledarskapet")
    assert [s.order for s in (first, second)] == [1, 2]
    one = surveys.item_add(actor=actor, survey=made, kind="scale7", text="Jag trivs", section=second)
    two = surveys.item_add(actor=actor, survey=made, kind="text", text="Något mer?", required=True)
    assert (one.order, two.order) == (1, 2)
    assert (one.section, two.section) == (second, None)
    assert one.scale_max == 7
    assert two.required is True
    actions = list(HistoryEntry.objects.for_object(made).values_list("action", flat=True))
    assert actions.count("survey.item_added") == 2


def test_a_scale_has_labelled_ends_by_default_or_as_given() -> None:
    made = survey(team=team_with_members(5)[0], questions=False)
    plain = surveys.item_add(actor=made.created_by, survey=made, kind="scale5", text="Jag blir lyssnad på")
    assert (plain.low_label, plain.high_label) == (str(AGREE_LOW), str(AGREE_HIGH))
    labelled = surveys.item_add(
        actor=made.created_by,
        survey=made,
        kind="scale7",
        text="Hur ofta får du stöd?",
        low_label="Aldrig",
        high_label="Alltid",
    )
    assert (labelled.low_label, labelled.high_label) == ("Aldrig", "Alltid")


def test_labels_and_choices_are_dropped_where_they_do_not_belong() -> None:
    made = survey(team=team_with_members(5)[0], questions=False)
    text = surveys.item_add(
        actor=made.created_by,
        survey=made,
        kind="text",
        text="Berätta",
        low_label="Lågt",
        high_label="Högt",
        choices=["a", "b"],
    )
    assert (text.low_label, text.high_label, text.choices) == ("", "", [])
    scale = surveys.item_add(
        actor=made.created_by, survey=made, kind="scale5", text="Skala", choices=["a", "b"]
    )
    assert scale.choices == []


@pytest.mark.parametrize("kind", ["single", "multiple"])
def test_choices_are_cleaned(kind: str) -> None:
    made = survey(team=team_with_members(5)[0], questions=False)
    item = surveys.item_add(
        actor=made.created_by, survey=made, kind=kind, text="Välj", choices=[" Ja ", "", "Nej", "   "]
    )
    assert item.choices == ["Ja", "Nej"]
    assert (item.low_label, item.high_label) == ("", "")


@pytest.mark.parametrize(
    "choices",
    [[], ["Bara ett"], ["Ja", "", "  "], ["Ja", "Nej", "ja"], ["Ja", "Ja"]],
    ids=["none", "one", "one-with-blanks", "same-but-case", "same"],
)
@pytest.mark.parametrize("kind", ["single", "multiple"])
def test_a_choice_question_needs_two_different_choices(kind: str, choices: list[str]) -> None:
    made = survey(team=team_with_members(5)[0], questions=False)
    with pytest.raises(ValidationError) as error:
        surveys.item_add(actor=made.created_by, survey=made, kind=kind, text="Välj", choices=choices)
    assert "choices" in error.value.message_dict
    assert not made.items.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"kind": "scale9"}, "kind"), ({"text": ""}, "text"), ({"text": "x" * 301}, "text")],
)
def test_item_add_refuses_a_wrong_kind_or_text(fields: dict[str, Any], field: str) -> None:
    made = survey(team=team_with_members(5)[0], questions=False)
    values = {"kind": "scale5", "text": "Jag trivs", **fields}
    with pytest.raises(ValidationError) as error:
        surveys.item_add(actor=made.created_by, survey=made, **values)
    assert field in error.value.message_dict
    assert not made.items.exists()


def test_item_add_refuses_another_surveys_section() -> None:
    team = team_with_members(5)[0]
    made, other = survey(team=team, questions=False), survey(team=team, questions=False)
    foreign = surveys.section_add(actor=other.created_by, survey=other, title="Annat")
    with pytest.raises(ValidationError) as error:
        surveys.item_add(actor=made.created_by, survey=made, kind="scale5", text="Fråga", section=foreign)
    assert "section" in error.value.message_dict


def test_item_remove_in_a_draft() -> None:
    made = survey(team=team_with_members(5)[0])
    item = made.items.get(kind="text")
    surveys.item_remove(actor=made.created_by, item=item)
    assert not Item.objects.filter(pk=item.pk).exists()
    assert HistoryEntry.objects.for_object(made).filter(action="survey.item_removed").exists()


def test_the_builder_refuses_changes_after_sending() -> None:
    made = sent_survey(team_with_members(5)[0])
    actor = made.created_by
    with pytest.raises(ValidationError):
        surveys.section_add(actor=actor, survey=made, title="Nytt avsnitt")
    with pytest.raises(ValidationError):
        surveys.item_add(actor=actor, survey=made, kind="scale5", text="En fråga till")
    with pytest.raises(ValidationError):
        surveys.item_remove(actor=actor, item=made.items.first())
    assert made.items.count() == 3
    assert not made.sections.exists()


def test_after_sending_only_title_intro_and_closing_date_change() -> None:
    made = sent_survey(team_with_members(5)[0])
    actor = made.created_by
    changed = surveys.survey_update(actor=actor, survey=made, title="Nytt namn", closes_on=in_days(10))
    assert (changed.title, changed.closes_on) == ("Nytt namn", in_days(10))
    for fields in ({"anonymous": False}, {"threshold": 3}, {"audience": "link"}, {"opens_on": in_days(1)}):
        with pytest.raises(ValidationError):
            surveys.survey_update(actor=actor, survey=made, **fields)
    made.refresh_from_db()
    assert (made.anonymous, made.threshold, made.audience) == (True, 5, "team")


def test_a_sent_surveys_closing_date_cannot_move_into_the_past() -> None:
    made = sent_survey(team_with_members(5)[0], opens_on=in_days(-5))
    for past in (in_days(-1), in_days(-4)):
        with pytest.raises(ValidationError) as error:
            surveys.survey_update(actor=made.created_by, survey=made, closes_on=past)
        assert "closes_on" in error.value.message_dict
    made.refresh_from_db()
    assert made.closes_on == in_days(7)
    assert surveys.is_open(made)
    # Earlier, down to today, is allowed: the survey is still open.
    changed = surveys.survey_update(actor=made.created_by, survey=made, closes_on=today())
    assert changed.closes_on == today()
    assert surveys.is_open(changed)


@pytest.mark.parametrize("how", ["by_date", "by_hand"])
def test_a_closed_survey_gets_no_new_closing_date(how: str) -> None:
    team, members = team_with_members(5)
    made = sent_survey(team, opens_on=in_days(-10))
    if how == "by_date":
        Survey.objects.filter(pk=made.pk).update(closes_on=in_days(-1))
        made.refresh_from_db()
    else:
        made = close(made)
    closes_on = made.closes_on
    with pytest.raises(ValidationError) as error:
        surveys.survey_update(actor=made.created_by, survey=made, closes_on=in_days(14))
    assert "closes_on" in error.value.message_dict
    made.refresh_from_db()
    assert made.closes_on == closes_on
    assert surveys.is_closed(made)
    # The title may still change.
    assert surveys.survey_update(actor=made.created_by, survey=made, title="Nytt namn").title == "Nytt namn"
    refused(made, members[0], sheet(made))


# --- Sending ----------------------------------------------------------------------------------------


def test_sending_asks_the_teams_members_and_tells_them(django_capture_on_commit_callbacks: Any) -> None:
    team, members = team_with_members(5)
    coach = coach_of(team)
    outsider = MembershipFactory.create(team=TeamFactory.create()).person
    made = survey(actor=coach, team=team)
    with django_capture_on_commit_callbacks(execute=True):
        sent(made)
    made.refresh_from_db()
    assert made.sent_at is not None
    recipients = Recipient.objects.filter(survey=made)
    # The coach runs the survey; the members answer it.
    assert {r.person for r in recipients} == set(members)
    assert {r.team for r in recipients} == {team}
    assert not any(r.answered for r in recipients)
    notes = Notification.objects.filter(kind=Kind.SURVEY)
    assert {n.person for n in notes} == set(members)
    assert {n.url for n in notes} == {made.get_absolute_url()}
    assert all(made.title in n.text for n in notes)
    assert not Notification.objects.filter(person__in=[coach, outsider]).exists()
    assert HistoryEntry.objects.for_object(made).filter(action="survey.sent").exists()


def test_an_inactive_member_is_not_asked() -> None:
    team, members = team_with_members(6)
    members[0].is_active = False
    members[0].save()
    made = sent_survey(team)
    assert set(Recipient.objects.filter(survey=made).values_list("person", flat=True)) == {
        m.pk for m in members[1:]
    }


def test_a_unit_survey_asks_every_team_below_with_each_ones_team() -> None:
    unit = UnitFactory.create(name="Barn och unga")
    below = UnitFactory.create(name="Familjestöd", parent=unit)
    elsewhere = UnitFactory.create(name="Äldreomsorg")
    alpha, alpha_members = team_with_members(3, unit=unit, name="A-teamet")
    beta, beta_members = team_with_members(3, unit=below, name="B-teamet")
    _gamma, gamma_members = team_with_members(3, unit=elsewhere, name="C-teamet")
    # Someone in two teams of the unit is asked once, and counts in the first team by name.
    MembershipFactory.create(team=beta, person=alpha_members[0])
    made = sent(survey(unit=unit))
    asked = {r.person: r.team for r in Recipient.objects.filter(survey=made)}
    assert asked == {**dict.fromkeys(alpha_members, alpha), **dict.fromkeys(beta_members, beta)}
    assert not set(gamma_members) & set(asked)


def test_a_link_survey_asks_no_one() -> None:
    made = sent(survey(audience="link"))
    assert made.sent_at is not None
    assert not Recipient.objects.filter(survey=made).exists()


def test_sending_refuses_a_survey_without_questions() -> None:
    made = survey(team=team_with_members(5)[0], questions=False)
    with pytest.raises(ValidationError):
        sent(made)
    made.refresh_from_db()
    assert made.sent_at is None
    assert not Recipient.objects.exists()


def test_sending_refuses_a_closing_date_that_has_passed() -> None:
    made = survey(team=team_with_members(5)[0], opens_on=in_days(-10), closes_on=in_days(-1))
    with pytest.raises(ValidationError) as error:
        sent(made)
    assert "closes_on" in error.value.message_dict
    assert not Recipient.objects.exists()


@pytest.mark.parametrize(("members", "threshold"), [(4, 5), (2, 3), (6, 7)])
def test_sending_refuses_fewer_people_than_the_smallest_group(members: int, threshold: int) -> None:
    made = survey(team=team_with_members(members)[0], threshold=threshold)
    with pytest.raises(ValidationError):
        sent(made)
    made.refresh_from_db()
    assert made.sent_at is None
    assert not Recipient.objects.exists()


def test_sending_twice_is_refused() -> None:
    made = sent_survey(team_with_members(5)[0])
    with pytest.raises(ValidationError):
        sent(made)
    assert Recipient.objects.filter(survey=made).count() == 5


def test_open_and_closed() -> None:
    team = team_with_members(5)[0]
    draft = survey(team=team)
    assert not surveys.is_open(draft) and not surveys.is_closed(draft)
    later = sent(survey(team=team, opens_on=in_days(2), closes_on=in_days(9)))
    assert not surveys.is_open(later) and not surveys.is_closed(later)
    assert surveys.is_open(later, today=in_days(2)) and surveys.is_open(later, today=in_days(9))
    assert surveys.is_closed(later, today=in_days(10))
    made = sent_survey(team)
    assert surveys.is_open(made)
    made = close(made)
    assert not surveys.is_open(made) and surveys.is_closed(made)


# --- Answering ----------------------------------------------------------------------------------------


@pytest.fixture
def open_survey() -> tuple[Survey, list[Any]]:
    team, members = team_with_members(5)
    made = survey(team=team, questions=False)
    actor = made.created_by
    section = surveys.section_add(actor=actor, survey=made, title="Vardagen")
    surveys.item_add(actor=actor, survey=made, kind="scale5", text="Fem", section=section, required=True)
    surveys.item_add(actor=actor, survey=made, kind="scale7", text="Sju", section=section)
    surveys.item_add(actor=actor, survey=made, kind="single", text="En", choices=CHOICES)
    surveys.item_add(actor=actor, survey=made, kind="multiple", text="Flera", choices=CHOICES)
    surveys.item_add(actor=actor, survey=made, kind="text", text="Fritt")
    return sent(made), members


def test_an_answer_is_saved_with_every_kind_of_question(open_survey: tuple[Survey, list[Any]]) -> None:
    made, (anna, *_rest) = open_survey
    items = items_of(made)
    surveys.response_submit(
        survey=made,
        person=anna,
        answers={
            items["Fem"].pk: 5,
            items["Sju"].pk: "7",
            items["En"].pk: "Varannan vecka",
            items["Flera"].pk: ["Mer sällan", "Varje vecka"],
            items["Fritt"].pk: "  Mer tid för reflektion.  ",
        },
    )
    response = Response.objects.get(survey=made)
    assert (response.team, response.person) == (made.team, None)
    saved = {a.item.text: a for a in Answer.objects.filter(response=response)}
    assert saved["Fem"].value == 5
    assert saved["Sju"].value == 7
    assert saved["En"].chosen == ["Varannan vecka"]
    # Chosen in the question's order, whatever order they came in.
    assert saved["Flera"].chosen == ["Varje vecka", "Mer sällan"]
    assert saved["Fritt"].text == "Mer tid för reflektion."
    assert Recipient.objects.get(survey=made, person=anna).answered is True


def test_an_unanswered_optional_question_leaves_no_row(open_survey: tuple[Survey, list[Any]]) -> None:
    made, (anna, *_rest) = open_survey
    surveys.response_submit(survey=made, person=anna, answers={items_of(made)["Fem"].pk: 3})
    assert Answer.objects.filter(response__survey=made).count() == 1


def refused(made: Survey, person: Any, answers: dict[int, Any]) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        surveys.response_submit(survey=made, person=person, answers=answers)
    assert not Response.objects.filter(survey=made).exists()
    assert not Answer.objects.filter(response__survey=made).exists()
    if getattr(person, "pk", None):
        assert not Recipient.objects.filter(survey=made, person=person, answered=True).exists()
    return error.value


@pytest.mark.parametrize(
    ("question", "given"),
    [
        ("Fem", 0),
        ("Fem", 6),
        ("Fem", "tre"),
        ("Fem", "3.5"),
        ("Sju", 8),
        ("Sju", -1),
        ("En", "Dagligen"),
        ("En", ["Varje vecka", "Mer sällan"]),
        ("Flera", ["Varje vecka", "Dagligen"]),
        ("Flera", "Dagligen"),
    ],
)
def test_a_wrong_value_is_refused(open_survey: tuple[Survey, list[Any]], question: str, given: Any) -> None:
    made, (anna, *_rest) = open_survey
    items = items_of(made)
    answers = {items["Fem"].pk: 3, items[question].pk: given}
    error = refused(made, anna, answers)
    assert f"item_{items[question].pk}" in error.message_dict


def test_a_required_question_left_empty_is_refused(open_survey: tuple[Survey, list[Any]]) -> None:
    made, (anna, *_rest) = open_survey
    items = items_of(made)
    for empty in (None, ""):
        error = refused(made, anna, {items["Fem"].pk: empty, items["Sju"].pk: 4})
        assert f"item_{items['Fem'].pk}" in error.message_dict


def test_an_empty_sheet_is_refused() -> None:
    made = sent_survey(team_with_members(5)[0])
    refused(made, made.recipients.first().person, {})


def test_a_question_of_another_survey_is_refused(open_survey: tuple[Survey, list[Any]]) -> None:
    made, (anna, *_rest) = open_survey
    other = survey(team=made.team)
    answers = {items_of(made)["Fem"].pk: 3, other.items.first().pk: 3}
    assert "__all__" in refused(made, anna, answers).message_dict


def test_a_personal_identity_number_in_free_text_is_refused(open_survey: tuple[Survey, list[Any]]) -> None:
    made, (anna, *_rest) = open_survey
    items = items_of(made)
    error = refused(made, anna, {items["Fem"].pk: 3, items["Fritt"].pk: "Det gäller 19121212-1212."})
    assert f"item_{items['Fritt'].pk}" in error.message_dict


def test_a_too_long_text_is_refused(open_survey: tuple[Survey, list[Any]]) -> None:
    made, (anna, *_rest) = open_survey
    items = items_of(made)
    error = refused(made, anna, {items["Fem"].pk: 3, items["Fritt"].pk: "x" * (surveys.MAX_TEXT + 1)})
    assert f"item_{items['Fritt'].pk}" in error.message_dict
    assert surveys.MAX_TEXT == 5000
    # Surrounding spaces do not count, and a text of the longest length is saved whole.
    longest = "x" * surveys.MAX_TEXT
    surveys.response_submit(
        survey=made, person=anna, answers={items["Fem"].pk: 3, items["Fritt"].pk: f" {longest} "}
    )
    assert Answer.objects.get(response__survey=made, item=items["Fritt"]).text == longest


def test_someone_not_asked_cannot_answer(open_survey: tuple[Survey, list[Any]]) -> None:
    made, _members = open_survey
    answers = {items_of(made)["Fem"].pk: 3}
    for person in (coach_of(made.team), PersonFactory.create(), facilitator(), None):
        refused(made, person, answers)


def test_no_one_answers_twice(open_survey: tuple[Survey, list[Any]]) -> None:
    made, (anna, *_rest) = open_survey
    answers = {items_of(made)["Fem"].pk: 3}
    surveys.response_submit(survey=made, person=anna, answers=answers)
    with pytest.raises(ValidationError):
        surveys.response_submit(survey=made, person=anna, answers=answers)
    assert Response.objects.filter(survey=made).count() == 1


def test_a_closed_draft_or_not_yet_open_survey_takes_no_answers() -> None:
    team, (anna, *_rest) = team_with_members(5)
    closed = close(sent_survey(team))
    refused(closed, anna, sheet(closed))
    later = sent(survey(team=team, opens_on=in_days(1), closes_on=in_days(8)))
    refused(later, anna, sheet(later))
    past = sent_survey(team)
    Survey.objects.filter(pk=past.pk).update(opens_on=in_days(-8), closes_on=in_days(-1))
    refused(past, anna, sheet(past))
    draft = survey(team=team)
    refused(draft, anna, sheet(draft))


def test_a_link_survey_takes_answers_without_a_person() -> None:
    made = sent(survey(audience="link"))
    answer(made, None)
    answer(made, PersonFactory.create())
    assert Response.objects.filter(survey=made).count() == 2
    assert set(Response.objects.filter(survey=made).values_list("person", "team")) == {(None, None)}


# --- Closing, releasing -----------------------------------------------------------------------------


def test_survey_close_once_and_only_when_sent() -> None:
    team = team_with_members(5)[0]
    with pytest.raises(ValidationError):
        close(survey(team=team))
    made = close(sent_survey(team))
    closed_at = made.closed_at
    assert closed_at is not None
    assert close(made).closed_at == closed_at
    assert HistoryEntry.objects.for_object(made).filter(action="survey.closed").count() == 1


def answer_keys(made: Survey) -> tuple[set[Any], set[Any]]:
    return (
        set(Response.objects.filter(survey=made).values_list("pk", flat=True)),
        set(Answer.objects.filter(response__survey=made).values_list("pk", flat=True)),
    )


def answer_content(made: Survey) -> list[tuple[Any, ...]]:
    return sorted(
        Answer.objects.filter(response__survey=made).values_list(
            "response__team_id", "item_id", "value", "chosen", "text"
        ),
        key=str,
    )


def test_closing_rewrites_the_sheets_under_new_keys_with_the_same_answers() -> None:
    team, members = team_with_members(5)
    made = sent_survey(team)
    answer_all(made, members, value=3, text="Svar")
    sheets, answers = answer_keys(made)
    content = answer_content(made)
    made = close(made)
    new_sheets, new_answers = answer_keys(made)
    assert len(new_sheets) == len(sheets) == 5 and len(new_answers) == len(answers)
    assert not new_sheets & sheets and not new_answers & answers
    assert answer_content(made) == content
    assert set(Response.objects.filter(survey=made).values_list("team", "person")) == {(team.pk, None)}
    # Closing again rewrites nothing.
    close(made)
    assert answer_keys(made) == (new_sheets, new_answers)


def test_seal_due_surveys_seals_those_past_their_closing_date_only() -> None:
    team, members = team_with_members(5)
    due = sent_survey(team, opens_on=in_days(-10))
    still_open = sent_survey(team, opens_on=in_days(-10), closes_on=today())
    answer_all(due, members, value=2, text="Svar")
    answer_all(still_open, members, value=4)
    Survey.objects.filter(pk=due.pk).update(closes_on=in_days(-1))
    due_keys, open_keys = answer_keys(due), answer_keys(still_open)
    content = answer_content(due)
    assert surveys.seal_due_surveys() == 1
    due.refresh_from_db()
    still_open.refresh_from_db()
    assert due.closed_at is not None and still_open.closed_at is None
    assert not answer_keys(due)[0] & due_keys[0] and not answer_keys(due)[1] & due_keys[1]
    assert answer_content(due) == content
    assert answer_keys(still_open) == open_keys
    assert HistoryEntry.objects.for_object(due).filter(action="survey.closed").count() == 1
    # Once sealed, a survey is not sealed again.
    assert surveys.seal_due_surveys() == 0
    assert surveys.seal_due_surveys(today=in_days(1)) == 1
    assert HistoryEntry.objects.for_object(due).filter(action="survey.closed").count() == 1


def test_the_daily_command_seals_surveys_past_their_closing_date() -> None:
    team, members = team_with_members(5)
    made = sent_survey(team, opens_on=in_days(-10))
    answer_all(made, members)
    Survey.objects.filter(pk=made.pk).update(closes_on=in_days(-1))
    keys = answer_keys(made)
    call_command("send-reminders", stdout=io.StringIO())
    made.refresh_from_db()
    assert made.closed_at is not None
    assert not answer_keys(made)[0] & keys[0]


def test_results_release_once_per_team() -> None:
    team, (anna, bo, *_rest) = team_with_members(5)
    made = close(sent_survey(team))
    first = surveys.results_release(actor=anna, survey=made, team=team)
    again = surveys.results_release(actor=bo, survey=made, team=team)
    assert first == again
    assert first.by == anna
    assert HistoryEntry.objects.for_object(made).filter(action="survey.released").count() == 1


# --- Reminders --------------------------------------------------------------------------------------


def test_reminders_go_once_to_those_who_have_not_answered(django_capture_on_commit_callbacks: Any) -> None:
    team, members = team_with_members(5)
    soon = sent(survey(team=team, closes_on=in_days(2)))
    answer_all(soon, members[:2])
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.send_reminders() == 3
    reminders = Notification.objects.filter(key=f"survey-reminder:{soon.pk}")
    assert {n.person for n in reminders} == set(members[2:])
    assert {n.kind for n in reminders} == {Kind.SURVEY}
    assert set(
        Recipient.objects.filter(survey=soon, answered=False).values_list("reminded_on", flat=True)
    ) == {today()}
    assert set(
        Recipient.objects.filter(survey=soon, answered=True).values_list("reminded_on", flat=True)
    ) == {None}
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.send_reminders() == 0
        assert surveys.send_reminders(today=in_days(1)) == 0
    assert reminders.count() == 3


@pytest.mark.parametrize("closes_in", [0, 3])
def test_reminders_within_three_days_of_closing(closes_in: int) -> None:
    made = sent(survey(team=team_with_members(5)[0], closes_on=in_days(closes_in)))
    assert surveys.send_reminders() == 5
    assert not Recipient.objects.filter(survey=made, reminded_on__isnull=True).exists()


def test_no_reminders_too_early_for_closed_drafts_or_link_surveys() -> None:
    team = team_with_members(5)[0]
    sent(survey(team=team, closes_on=in_days(4)))
    close(sent(survey(team=team, closes_on=in_days(2))))
    survey(team=team, closes_on=in_days(2))
    sent(survey(audience="link", closes_on=in_days(1)))
    # Sent, opens in a day, closes in two: not open yet, so no reminder.
    sent(survey(team=team, opens_on=in_days(1), closes_on=in_days(2)))
    assert surveys.send_reminders() == 0
    assert not Recipient.objects.filter(reminded_on__isnull=False).exists()


def test_every_recipient_answered_means_no_reminders() -> None:
    team, members = team_with_members(5)
    made = sent(survey(team=team, closes_on=in_days(1)))
    answer_all(made, members)
    assert surveys.send_reminders() == 0


# --- Rounds -------------------------------------------------------------------------------------------


def test_a_new_round_copies_the_questions_with_their_keys() -> None:
    team, members = team_with_members(5)
    first = survey(team=team, template="effects")
    actor = first.created_by
    extra = surveys.section_add(actor=actor, survey=first, title="Eget avsnitt", description="Beskrivning")
    own = surveys.item_add(
        actor=actor, survey=first, kind="single", text="Egen fråga", choices=["Ja", "Nej"], section=extra
    )
    first = close(sent(first))
    second = surveys.survey_new_round(actor=actor, survey=first, opens_on=in_days(30), closes_on=in_days(40))
    assert (second.series, second.round, second.template) == (first.series, 2, "effects")
    assert (second.team, second.audience, second.anonymous, second.threshold) == (team, "team", True, 5)
    assert (second.opens_on, second.closes_on) == (in_days(30), in_days(40))
    assert second.sent_at is None and second.closed_at is None
    assert second.link_token != first.link_token
    own.refresh_from_db()
    assert own.key == f"item-{own.pk}"

    def shape(made: Survey) -> list[tuple[Any, ...]]:
        return [
            (
                i.key,
                i.kind,
                i.text,
                i.choices,
                i.low_label,
                i.high_label,
                i.order,
                i.section and i.section.title,
            )
            for i in made.items.order_by("order").select_related("section")
        ]

    assert shape(second) == shape(first)
    assert [(s.title, s.description, s.order) for s in second.sections.all()] == [
        (s.title, s.description, s.order) for s in first.sections.all()
    ]
    assert not Item.objects.filter(survey=second, section__survey=first).exists()
    assert Section.objects.filter(survey=second).count() == first.sections.count()
    assert HistoryEntry.objects.for_object(second).filter(action="survey.new_round").exists()
    # A round from an earlier round counts on from the newest.
    third = surveys.survey_new_round(actor=actor, survey=first, opens_on=in_days(60), closes_on=in_days(70))
    assert (third.series, third.round) == (first.series, 3)
    assert members  # the team is unchanged


def test_a_new_round_of_a_unit_survey_keeps_the_unit() -> None:
    unit = UnitFactory.create()
    team_with_members(5, unit=unit)
    first = sent(survey(unit=unit))
    second = surveys.survey_new_round(
        actor=first.created_by, survey=first, opens_on=today(), closes_on=in_days(7)
    )
    assert (second.audience, second.unit, second.team) == ("unit", unit, None)
