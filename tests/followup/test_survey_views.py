"""The survey pages as people use them: building, previewing, answering (with and without an account), results,
sharing them with the unit, and "talk about this"."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.organisation.factories import PersonFactory, TeamFactory, UnitFactory
from tillit.dialogue.models import Dialogue
from tillit.followup import surveys
from tillit.followup.models import Answer, Item, Recipient, Release, Response, Section, Survey
from tillit.followup.views.surveys import LINK_COOKIE

from .survey_factories import (
    CHOICES,
    SCALE_QUESTION,
    TEXT_QUESTION,
    administrator,
    answer_all,
    close,
    coach_of,
    development_lead,
    facilitator,
    in_days,
    member_of,
    sent,
    sent_survey,
    sheet,
    survey,
    team_with_members,
    today,
)

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    return response.content.decode()


def form_data(made: Survey, value: int = 4, text: str = "Mer tid för reflektion") -> dict[str, Any]:
    return {f"item_{pk}": answer for pk, answer in sheet(made, value, text).items()}


def as_user(client: Client, person: Any) -> Client:
    client.force_login(person)
    return client


@pytest.fixture
def team() -> tuple[Any, list[Any], Any]:
    team, members = team_with_members(5)
    return team, members, coach_of(team)


# --- The follow-up page -----------------------------------------------------------------------------


def test_the_follow_up_page_lists_what_waits_for_an_answer(client: Client, team: Any) -> None:
    team, members, coach = team
    made = sent(survey(actor=coach, team=team, title="Vårens puls"))
    assert client.get(reverse("followup:home")).status_code == 302
    response = as_user(client, members[0]).get(reverse("followup:home"))
    assert response.status_code == 200
    assert response.context["to_answer"] == [made]
    assert made in response.context["surveys"]
    assert reverse("followup:answer", args=[made.pk]) in page(response)
    answer_all(made, [members[0]])
    assert as_user(client, members[0]).get(reverse("followup:home")).context["to_answer"] == []


def test_someone_without_a_team_sees_the_page_but_cannot_create(client: Client, team: Any) -> None:
    sent_survey(team[0])
    response = as_user(client, PersonFactory.create()).get(reverse("followup:home"))
    assert response.status_code == 200
    assert response.context["can_create"] is False
    assert response.context["surveys"] == []
    assert client.get(reverse("followup:survey_create")).status_code == 403


# --- Creating and building -------------------------------------------------------------------------------


def create_data(for_team: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Inflytande i teamet",
        "intro": "Tre frågor varje kvartal.",
        "audience": "team",
        "team": for_team.pk,
        "opens_on": today().isoformat(),
        "closes_on": in_days(14).isoformat(),
        "anonymous": "on",
        "threshold": "5",
        "template": "effects",
    }
    data.update(changes)
    return data


def test_a_member_creates_a_survey_from_a_template(client: Client, team: Any) -> None:
    team, (anna, *_rest), _coach = team
    as_user(client, anna)
    url = reverse("followup:survey_create")
    response = client.get(url, {"mall": "effects", "team": team.slug})
    assert response.status_code == 200
    assert response.context["form"].initial["template"] == "effects"
    assert response.context["form"].initial["team"] == team
    response = client.post(url, create_data(team))
    made = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == made.get_absolute_url()
    assert (made.title, made.team, made.created_by, made.template, made.anonymous) == (
        "Inflytande i teamet",
        team,
        anna,
        "effects",
        True,
    )
    assert list(made.items.values_list("key", flat=True)) == ["influence", "collaboration", "pace"]


@pytest.mark.parametrize(
    "changes",
    [
        {"closes_on": in_days(-1).isoformat()},
        {"threshold": "2"},
        {"title": ""},
        {"template": "okänd"},
        {"audience": "team", "team": ""},
        {"audience": "unit"},
    ],
    ids=[
        "closes-before-opening",
        "threshold-2",
        "no-title",
        "unknown-template",
        "no-team",
        "unit-for-a-member",
    ],
)
def test_a_survey_form_with_errors_answers_400_and_saves_nothing(
    client: Client, team: Any, changes: dict[str, Any]
) -> None:
    team, (anna, *_rest), _coach = team
    response = as_user(client, anna).post(reverse("followup:survey_create"), create_data(team, **changes))
    assert response.status_code == 400
    assert not Survey.objects.exists()


def test_a_member_cannot_survey_another_team(client: Client, team: Any) -> None:
    _team, (anna, *_rest), _coach = team
    other = TeamFactory.create()
    response = as_user(client, anna).post(reverse("followup:survey_create"), create_data(other))
    assert response.status_code == 400
    assert not Survey.objects.exists()


def test_a_facilitator_creates_a_unit_survey(client: Client) -> None:
    unit = UnitFactory.create()
    team_with_members(5, unit=unit)
    data = create_data(TeamFactory.create(), audience="unit", unit=unit.pk, team="")
    response = as_user(client, facilitator()).post(reverse("followup:survey_create"), data)
    made = Survey.objects.get()
    assert response.status_code == 302
    assert (made.audience, made.unit, made.team) == ("unit", unit, None)


def test_the_builder_pages(client: Client, team: Any) -> None:
    team, _members, coach = team
    made = survey(actor=coach, team=team, questions=False)
    as_user(client, coach)
    assert client.get(made.get_absolute_url()).status_code == 200
    response = client.post(reverse("followup:section_add", args=[made.pk]), {"section-title": "Vardagen"})
    assert response.status_code == 302
    section = Section.objects.get(survey=made)
    response = client.post(
        reverse("followup:item_add", args=[made.pk]),
        {
            "item-kind": "single",
            "item-text": "Hur ofta ses ni?",
            "item-section": section.pk,
            "item-choices": "\n".join(CHOICES),
            "item-required": "on",
        },
    )
    assert response.status_code == 302
    item = Item.objects.get(survey=made)
    assert (item.kind, item.section, item.choices, item.required) == ("single", section, CHOICES, True)
    response = client.post(
        reverse("followup:item_add", args=[made.pk]),
        {
            "item-kind": "scale7",
            "item-text": "Jag trivs",
            "item-low_label": "Inte alls",
            "item-high_label": "Helt",
        },
    )
    assert response.status_code == 302
    assert made.items.get(kind="scale7").low_label == "Inte alls"
    response = client.post(reverse("followup:item_remove", args=[made.pk, item.pk]))
    assert response.status_code == 302
    assert list(made.items.values_list("kind", flat=True)) == ["scale7"]


@pytest.mark.parametrize(
    "data",
    [
        {"item-kind": "single", "item-text": "Välj", "item-choices": "Bara ett"},
        {"item-kind": "multiple", "item-text": "Välj", "item-choices": "Ja\nja"},
        {"item-kind": "scale5", "item-text": ""},
        {"item-kind": "scale9", "item-text": "Fel skala"},
        {"item-kind": "text", "item-text": "Ange 19121212-1212"},
    ],
    ids=["one-choice", "same-choices", "no-text", "wrong-kind", "identity-number"],
)
def test_a_question_with_errors_answers_400_and_saves_nothing(
    client: Client, team: Any, data: dict[str, str]
) -> None:
    team, _members, coach = team
    made = survey(actor=coach, team=team, questions=False)
    response = as_user(client, coach).post(reverse("followup:item_add", args=[made.pk]), data)
    assert response.status_code == 400
    assert not made.items.exists()


def test_a_sent_survey_takes_no_new_questions_through_the_page(client: Client, team: Any) -> None:
    team, _members, coach = team
    made = sent_survey(team, actor=coach)
    as_user(client, coach)
    # The maker may no longer change the questions (followup.change_survey): refused before any form is read.
    response = client.post(
        reverse("followup:item_add", args=[made.pk]), {"item-kind": "scale5", "item-text": "En till"}
    )
    assert response.status_code == 403
    response = client.post(reverse("followup:section_add", args=[made.pk]), {"section-title": "Ny"})
    assert response.status_code == 403
    response = client.post(reverse("followup:item_remove", args=[made.pk, made.items.first().pk]))
    assert response.status_code == 403
    assert made.items.count() == 3
    assert not made.items.filter(text="En till").exists()
    assert not made.sections.exists()
    # Nor may an administrator.
    as_user(client, administrator())
    response = client.post(
        reverse("followup:item_add", args=[made.pk]), {"item-kind": "scale5", "item-text": "En till"}
    )
    assert response.status_code == 403
    assert made.items.count() == 3


def test_only_the_creator_changes_a_draft(client: Client, team: Any) -> None:
    team, (anna, *_rest), coach = team
    made = survey(actor=coach, team=team)
    question = made.items.first()
    edit = {
        "title": "Annas titel",
        "intro": "",
        "audience": "team",
        "team": team.pk,
        "opens_on": today().isoformat(),
        "closes_on": in_days(14).isoformat(),
        "anonymous": "on",
        "threshold": "5",
    }
    # A member of the team (who manages the survey) and a facilitator, neither of whom made the draft.
    for person in (anna, facilitator()):
        as_user(client, person)
        response = client.post(
            reverse("followup:item_add", args=[made.pk]), {"item-kind": "scale5", "item-text": "Annas fråga"}
        )
        assert response.status_code == 403
        response = client.post(reverse("followup:section_add", args=[made.pk]), {"section-title": "Annas"})
        assert response.status_code == 403
        response = client.post(reverse("followup:item_remove", args=[made.pk, question.pk]))
        assert response.status_code == 403
        assert client.post(reverse("followup:survey_edit", args=[made.pk]), edit).status_code == 403
    made.refresh_from_db()
    assert made.items.count() == 3
    assert not made.items.filter(text="Annas fråga").exists()
    assert not made.sections.exists()
    assert made.title == "Pulsen i teamet"
    # An administrator may change someone else's draft.
    as_user(client, administrator())
    response = client.post(
        reverse("followup:item_add", args=[made.pk]), {"item-kind": "scale5", "item-text": "Adminfråga"}
    )
    assert response.status_code == 302
    assert made.items.filter(text="Adminfråga").exists()


def test_the_builder_is_closed_to_outsiders(client: Client, team: Any) -> None:
    team, _members, coach = team
    made = survey(actor=coach, team=team)
    as_user(client, member_of(TeamFactory.create()))
    for name in ("survey", "survey_edit", "preview"):
        assert client.get(reverse(f"followup:{name}", args=[made.pk])).status_code == 403
    for name in ("section_add", "item_add", "send", "close", "new_round"):
        assert client.post(reverse(f"followup:{name}", args=[made.pk]), {}).status_code == 403
    assert (
        client.post(reverse("followup:item_remove", args=[made.pk, made.items.first().pk])).status_code == 403
    )
    assert made.items.count() == 3
    assert client.get(reverse("followup:survey", args=[made.pk + 100])).status_code == 404


def test_the_preview_shows_the_questions_and_cannot_be_sent(client: Client, team: Any) -> None:
    team, _members, coach = team
    made = survey(actor=coach, team=team)
    response = as_user(client, coach).get(reverse("followup:preview", args=[made.pk]))
    assert response.status_code == 200
    assert response.context["preview"] is True
    assert all(field.disabled for field in response.context["form"].fields.values())
    for text in (SCALE_QUESTION, TEXT_QUESTION, *CHOICES):
        assert text in page(response)
    survey_form = page(response).split('class="card form survey-form"', 1)[1].split("</form>", 1)[0]
    assert 'type="submit"' not in survey_form


def test_those_asked_in_a_unit_survey_may_open_it_but_not_preview_it(client: Client) -> None:
    unit = UnitFactory.create()
    _team, members = team_with_members(5, unit=unit)
    made = sent(survey(unit=unit))
    as_user(client, members[0])
    assert client.get(made.get_absolute_url()).status_code == 200
    assert client.get(reverse("followup:preview", args=[made.pk])).status_code == 403
    assert client.post(reverse("followup:close", args=[made.pk])).status_code == 403


def test_edit_the_title_and_closing_date_after_sending(client: Client, team: Any) -> None:
    team, _members, coach = team
    made = sent_survey(team, actor=coach)
    as_user(client, coach)
    url = reverse("followup:survey_edit", args=[made.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"title", "intro", "closes_on"}
    response = client.post(url, {"title": "Nytt namn", "intro": "", "closes_on": in_days(10).isoformat()})
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.title, made.closes_on) == ("Nytt namn", in_days(10))
    response = client.post(url, {"title": "", "intro": "", "closes_on": in_days(10).isoformat()})
    assert response.status_code == 400


# --- Sending and closing --------------------------------------------------------------------------------


def test_send_and_close_through_the_pages(client: Client, team: Any) -> None:
    team, members, coach = team
    made = survey(actor=coach, team=team)
    as_user(client, coach)
    response = client.post(reverse("followup:send", args=[made.pk]))
    assert response.status_code == 302
    assert set(Recipient.objects.filter(survey=made).values_list("person", flat=True)) == {
        m.pk for m in members
    }
    response = client.post(reverse("followup:close", args=[made.pk]))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.closed_at is not None


def test_sending_to_too_few_is_refused_with_a_message(client: Client) -> None:
    team, _members = team_with_members(4)
    coach = coach_of(team)
    made = survey(actor=coach, team=team)
    response = as_user(client, coach).post(reverse("followup:send", args=[made.pk]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    made.refresh_from_db()
    assert made.sent_at is None
    assert not Recipient.objects.exists()


def test_a_new_round_through_the_page(client: Client, team: Any) -> None:
    team, _members, coach = team
    made = close(sent_survey(team, actor=coach))
    as_user(client, coach)
    url = reverse("followup:new_round", args=[made.pk])
    response = client.post(
        url, {"round-opens_on": in_days(5).isoformat(), "round-closes_on": in_days(1).isoformat()}
    )
    assert response.status_code == 400
    response = client.post(
        url, {"round-opens_on": in_days(5).isoformat(), "round-closes_on": in_days(9).isoformat()}
    )
    second = Survey.objects.get(round=2)
    assert response["Location"] == second.get_absolute_url()
    assert second.series == made.series


# --- Answering ----------------------------------------------------------------------------------------


def test_answering_through_the_page(client: Client, team: Any) -> None:
    team, (anna, *_rest), coach = team
    made = sent_survey(team, actor=coach)
    url = reverse("followup:answer", args=[made.pk])
    assert client.get(url).status_code == 302
    as_user(client, anna)
    response = client.get(url)
    assert response.status_code == 200
    assert SCALE_QUESTION in page(response)
    response = client.post(url, form_data(made, 5))
    assert response.status_code == 200
    assert response.context["thanks"] is True
    assert Answer.objects.filter(response__survey=made, value=5).count() == 1
    assert Recipient.objects.get(survey=made, person=anna).answered is True
    # A second time: "already answered", and nothing more is saved.
    response = client.post(url, form_data(made, 1))
    assert response.status_code == 200
    assert "thanks" not in response.context
    assert Response.objects.filter(survey=made).count() == 1


def test_the_answer_page_marks_the_required_questions_not_every_optional_one(
    client: Client, team: Any
) -> None:
    team, (anna, *_rest), coach = team
    made = survey(team=team, actor=coach)
    surveys.item_add(actor=coach, survey=made, kind=Item.Kind.SCALE5, text="Måste besvaras", required=True)
    sent(made, coach)
    shown = page(as_user(client, anna).get(reverse("followup:answer", args=[made.pk])))
    assert "Du kan hoppa över frågor" in shown
    assert shown.count("(obligatorisk)") == 1
    assert "(frivilligt)" not in shown


def test_an_answer_with_errors_answers_400_and_saves_nothing(client: Client, team: Any) -> None:
    team, (anna, *_rest), coach = team
    made = survey(actor=coach, team=team, questions=False)
    scale = surveys.item_add(actor=coach, survey=made, kind="scale5", text="Krävs", required=True)
    surveys.item_add(actor=coach, survey=made, kind="text", text="Fritt")
    sent(made)
    as_user(client, anna)
    url = reverse("followup:answer", args=[made.pk])
    for data in ({f"item_{scale.pk}": ""}, {f"item_{scale.pk}": "6"}, {f"item_{scale.pk}": "tre"}):
        response = client.post(url, data)
        assert response.status_code == 400
    assert not Response.objects.exists()
    assert Recipient.objects.get(survey=made, person=anna).answered is False


def test_only_those_asked_may_answer(client: Client, team: Any) -> None:
    team, _members, coach = team
    made = sent_survey(team, actor=coach)
    url = reverse("followup:answer", args=[made.pk])
    for person in (coach, member_of(TeamFactory.create()), facilitator()):
        as_user(client, person)
        assert client.get(url).status_code == 403
        assert client.post(url, form_data(made)).status_code == 403
    assert not Response.objects.exists()


def test_a_closed_survey_takes_no_answer_through_the_page(client: Client, team: Any) -> None:
    team, (anna, *_rest), coach = team
    made = close(sent_survey(team, actor=coach))
    as_user(client, anna)
    response = client.post(reverse("followup:answer", args=[made.pk]), form_data(made))
    assert response.status_code == 200
    assert response.context["closed"] is True
    assert not Response.objects.exists()


def test_answering_through_the_link_without_an_account(client: Client) -> None:
    made = sent(survey(actor=facilitator(), audience="link"))
    url = reverse("followup:answer_link", args=[made.link_token])
    response = client.get(url)
    assert response.status_code == 200
    assert SCALE_QUESTION in page(response)
    response = client.post(url, form_data(made, 3))
    assert response.status_code == 200
    assert response.context["thanks"] is True
    assert response.cookies[LINK_COOKIE.format(pk=made.pk)].value == "1"
    # One answer per browser.
    response = client.post(url, form_data(made, 1))
    assert response.status_code == 200
    assert "thanks" not in response.context
    assert Response.objects.filter(survey=made).count() == 1
    # Another browser answers too.
    assert Client().post(url, form_data(made, 2)).status_code == 200
    assert sorted(
        Answer.objects.filter(response__survey=made, value__isnull=False).values_list("value", flat=True)
    ) == [
        2,
        3,
    ]


def test_a_link_answer_with_errors_answers_400_and_sets_no_cookie(client: Client) -> None:
    maker = facilitator()
    made = survey(actor=maker, audience="link", questions=False)
    scale = surveys.item_add(actor=maker, survey=made, kind="scale5", text="Krävs", required=True)
    sent(made)
    url = reverse("followup:answer_link", args=[made.link_token])
    response = client.post(url, {f"item_{scale.pk}": ""})
    assert response.status_code == 400
    assert LINK_COOKIE.format(pk=made.pk) not in response.cookies
    assert not Response.objects.exists()


def test_the_link_of_a_closed_or_unsent_survey_takes_no_answer(client: Client) -> None:
    draft = survey(actor=facilitator(), audience="link")
    response = client.post(reverse("followup:answer_link", args=[draft.link_token]), form_data(draft))
    assert response.status_code == 200
    assert response.context["closed"] is True
    closed = close(sent(survey(actor=facilitator(), audience="link")))
    response = client.post(reverse("followup:answer_link", args=[closed.link_token]), form_data(closed))
    assert response.context["closed"] is True
    assert not Response.objects.exists()


def test_a_team_surveys_token_is_no_link(client: Client, team: Any) -> None:
    made = sent_survey(team[0], actor=team[2])
    assert client.get(reverse("followup:answer_link", args=[made.link_token])).status_code == 404
    assert client.get(reverse("followup:answer_link", args=["inte-en-riktig-nyckel"])).status_code == 404


# --- Results --------------------------------------------------------------------------------------------


@pytest.fixture
def answered(team: Any) -> tuple[Survey, Any, list[Any], Any]:
    team, members, coach = team
    made = sent_survey(team, actor=coach)
    answer_all(made, members, value=4, text="Svar")
    return made, team, members, coach


def test_the_results_page_has_a_chart_and_a_table(client: Client, answered: Any) -> None:
    made, team, members, _coach = answered
    url = reverse("followup:results", args=[made.pk])
    as_user(client, members[0])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["groups"] == []
    close(made)
    response = client.get(url)
    assert response.status_code == 200
    (group,) = response.context["groups"]
    assert (group.team, group.shown) == (team, True)
    html = page(response)
    assert "<svg" in html and "<table" in html
    assert SCALE_QUESTION in html
    assert '<span class="result-bars__value">4</span>' in html
    assert reverse("followup:release", args=[made.pk, team.pk]) in html


def test_the_results_page_is_closed_to_outsiders(client: Client, answered: Any) -> None:
    made = close(answered[0])
    as_user(client, member_of(TeamFactory.create()))
    assert client.get(reverse("followup:results", args=[made.pk])).status_code == 403
    assert Client().get(reverse("followup:results", args=[made.pk])).status_code == 302


def test_the_results_page_shows_no_figures_below_the_threshold(client: Client, team: Any) -> None:
    team, members, coach = team
    made = sent_survey(team, actor=coach)
    answer_all(made, members[:4], value=2, text="Hemlig text")
    close(made)
    response = as_user(client, coach).get(reverse("followup:results", args=[made.pk]))
    assert response.status_code == 200
    (group,) = response.context["groups"]
    assert group.shown is False
    html = page(response)
    assert "Hemlig text" not in html
    assert "result-bars__bar" not in html
    assert reverse("followup:talk", args=[made.pk, team.pk]) not in html


def test_the_results_page_does_not_query_more_with_more_answers(client: Client) -> None:
    def queries(count: int) -> int:
        team, members = team_with_members(count)
        coach = coach_of(team)
        made = sent(survey(actor=coach, team=team, template="self_organisation"))
        answer_all(made, members, value=3, text="Text")
        close(made)
        as_user(client, coach)
        url = reverse("followup:results", args=[made.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response.context["groups"][0].answered == count
        return len(captured)

    assert queries(5) == queries(40)


def test_a_coach_of_a_team_in_a_unit_survey_sees_the_teams_results(client: Client) -> None:
    unit = UnitFactory.create()
    team, members = team_with_members(5, unit=unit)
    made = sent(survey(unit=unit))
    answer_all(made, members)
    close(made)
    coach = coach_of(team)
    assert not Recipient.objects.filter(survey=made, person=coach).exists()
    response = as_user(client, coach).get(reverse("followup:results", args=[made.pk]))
    assert response.status_code == 200
    group = next(group for group in response.context["groups"] if group.team == team)
    assert (group.shown, group.answered) == (True, 5)
    assert client.get(made.get_absolute_url()).status_code == 200
    assert client.get(f"/api/surveys/{made.pk}/results").status_code == 200
    # A coach of a team that was not asked stays out.
    outsider = coach_of(TeamFactory.create(unit=UnitFactory.create()))
    assert as_user(client, outsider).get(reverse("followup:results", args=[made.pk])).status_code == 403


def test_a_coach_of_a_team_in_a_unit_survey_finds_it_in_the_list(client: Client) -> None:
    unit = UnitFactory.create()
    team, members = team_with_members(5, unit=unit)
    made = sent(survey(unit=unit))
    answer_all(made, members)
    close(made)
    as_user(client, coach_of(team))
    assert made in client.get(reverse("followup:home")).context["surveys"]
    listed = client.get("/api/surveys").json()
    assert made.pk in {found["id"] for found in listed["items"]}


# --- Sharing with the unit, and talking about it -----------------------------------------------------------


def test_a_team_member_shares_the_results(client: Client, answered: Any) -> None:
    made, team, members, _coach = answered
    url = reverse("followup:release", args=[made.pk, team.pk])
    as_user(client, members[0])
    assert client.post(url).status_code == 403  # not before the survey has closed
    close(made)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:results", args=[made.pk])
    release = Release.objects.get()
    assert (release.survey, release.team, release.by) == (made, team, members[0])
    response = client.get(reverse("followup:results", args=[made.pk]))
    assert response.context["released"] == {team.pk}


@pytest.mark.parametrize("above", [facilitator, development_lead, administrator])
def test_no_one_above_the_team_shares_its_results(client: Client, answered: Any, above: Any) -> None:
    made, team, _members, _coach = answered
    close(made)
    response = as_user(client, above()).post(reverse("followup:release", args=[made.pk, team.pk]))
    assert response.status_code == 403
    assert not Release.objects.exists()


def test_the_teams_coach_shares_the_results(client: Client, answered: Any) -> None:
    made, team, _members, coach = answered
    close(made)
    response = as_user(client, coach).post(reverse("followup:release", args=[made.pk, team.pk]))
    assert response.status_code == 302
    assert Release.objects.get().by == coach


def test_another_teams_member_cannot_share(client: Client, answered: Any) -> None:
    made, team, _members, _coach = answered
    close(made)
    outsider = member_of(TeamFactory.create())
    response = as_user(client, outsider).post(reverse("followup:release", args=[made.pk, team.pk]))
    assert response.status_code == 403
    assert not Release.objects.exists()


def test_talk_about_this_opens_a_three_step_dialogue_in_the_team(client: Client, answered: Any) -> None:
    made, team, _members, coach = answered
    close(made)
    response = as_user(client, coach).post(reverse("followup:talk", args=[made.pk, team.pk]))
    dialogue = Dialogue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == dialogue.get_absolute_url()
    assert (dialogue.team, dialogue.audience, dialogue.created_by) == (team, Dialogue.Audience.TEAM, coach)
    assert made.title in dialogue.title
    steps = list(dialogue.steps.order_by("order"))
    assert len(steps) == 3
    assert made.title in steps[0].question
    assert len({step.question for step in steps}) == 3


def test_a_plain_member_cannot_open_the_dialogue(client: Client, answered: Any) -> None:
    made, team, members, _coach = answered
    close(made)
    assert (
        as_user(client, members[0]).post(reverse("followup:talk", args=[made.pk, team.pk])).status_code == 403
    )
    assert not Dialogue.objects.exists()


def test_no_dialogue_on_results_not_yet_seen(client: Client, answered: Any) -> None:
    made, team, _members, coach = answered
    # Still open: no results yet.
    assert as_user(client, coach).post(reverse("followup:talk", args=[made.pk, team.pk])).status_code == 403
    close(made)
    # Someone above the team, before the team has shared.
    assert (
        as_user(client, facilitator()).post(reverse("followup:talk", args=[made.pk, team.pk])).status_code
        == 403
    )
    assert not Dialogue.objects.exists()
