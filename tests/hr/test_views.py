"""The HR pages as people use them: who gets which page, what it shows, forms that save, and lists whose
number of queries does not grow with the data."""

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.hr import services
from tillit.hr.models import Assessment, FeedbackRequest, HrSettings, Recruitment, RehabCase, Talk

from .factories import World, candidate, recruitment_in, rehab_case, talk


def _client(person: Any) -> Client:
    """A browser that has chosen English: the pages' sentences asserted on are the English ones."""
    client = Client()
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_home_page_lists_what_the_person_may_see(world: World) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    own = talk(world)
    asked = services.feedback_ask(
        actor=world["employee"], talk=own, colleague=world["colleague"], question="?"
    )
    rehab_case(world)
    page = _client(world["employee"]).get(reverse("hr:home")).content.decode()
    assert found.title in page
    assert own.get_absolute_url() in page
    assert "Case for Anna Employee" in page
    colleague_page = _client(world["colleague"]).get(reverse("hr:home")).content.decode()
    assert asked.get_absolute_url() in colleague_page
    assert own.get_absolute_url() not in colleague_page
    admin_page = _client(world["administrator"]).get(reverse("hr:home")).content.decode()
    assert own.get_absolute_url() not in admin_page
    assert "Case for" not in admin_page
    assert reverse("hr:settings") in admin_page


def test_the_home_page_takes_the_same_number_of_queries_however_much_there_is(world: World) -> None:
    client = _client(world["employee"])
    recruitment_in(world, Recruitment.Status.ASSESSING)
    talk(world)
    rehab_case(world)
    few = _queries(client, reverse("hr:home"))
    for _ in range(3):
        recruitment_in(world, Recruitment.Status.ADVERT)
        talk(world, counterpart=world["manager_above"])
        rehab_case(world)
    assert _queries(client, reverse("hr:home")) == few


def test_the_recruitment_page_takes_the_same_number_of_queries_however_many_candidates(world: World) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    client = _client(world["delegate"])
    few = _queries(client, found.get_absolute_url())
    for index in range(4):
        extra = candidate(world, found, f"Kandidat {index}")
        services.assessment_save(
            actor=world["panel_member"],
            candidate=extra,
            scores=[services.ScoreInput(0, 3), services.ScoreInput(1, 2)],
        )
    assert _queries(client, found.get_absolute_url()) == few


def test_team_members_see_the_need_but_not_the_candidates(world: World) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    page = _client(world["team_member"]).get(found.get_absolute_url()).content.decode()
    assert "En kollega går i pension." in page
    assert "Sara Lind" not in page
    first = found.candidates.get()
    assert _client(world["team_member"]).get(first.get_absolute_url()).status_code == 404
    panel_page = _client(world["panel_member"]).get(found.get_absolute_url()).content.decode()
    assert "Sara Lind" in panel_page
    assert _client(world["outsider"]).get(found.get_absolute_url()).status_code == 404


def test_a_team_member_starts_a_recruitment(world: World) -> None:
    response = _client(world["employee"]).post(
        reverse("hr:recruitment_create"),
        {
            "team": world.team.pk,
            "title": "Familjebehandlare",
            "need": "Fler familjer behöver stöd.",
            "requirements": "Behandlarutbildning\nKörkort",
            "advert": "",
            "delegate": world["delegate"].pk,
            "panel": [world["panel_member"].pk],
        },
    )
    found = Recruitment.objects.get(title="Familjebehandlare")
    assert response.status_code == 302
    assert response["Location"] == found.get_absolute_url()
    assert list(found.panel.all()) == [world["panel_member"]]


def test_a_refused_form_keeps_what_was_written(world: World) -> None:
    response = _client(world["employee"]).post(
        reverse("hr:recruitment_create"),
        {
            "team": world.team.pk,
            "title": "Familjebehandlare",
            "need": "Fler familjer.",
            "requirements": "Körkort",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fler familjer." in page
    assert "no staff mandate" in page


def test_a_panel_member_assesses_through_the_candidate_page(world: World) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    first = found.candidates.get()
    data = {"action": "assess"}
    for index in range(3):
        data[f"assess-score_{index}"] = "3"
        data[f"assess-comment_{index}"] = "Bra"
    response = _client(world["panel_member"]).post(first.get_absolute_url(), data)
    assert response.status_code == 302
    assert Assessment.objects.filter(candidate=first, assessor=world["panel_member"]).count() == 3
    assert _client(world["delegate"]).post(first.get_absolute_url(), data).status_code == 404


def test_the_delegate_decides(world: World) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    url = reverse("hr:recruitment_decide", args=[found.pk])
    assert _client(world["panel_member"]).get(url).status_code == 403
    response = _client(world["delegate"]).post(
        url, {"chosen": found.candidates.get().pk, "reasoning": "Uppfyller alla krav."}
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.status == Recruitment.Status.DECIDED


def test_the_talk_pages_show_only_what_is_shared(world: World) -> None:
    own = talk(world)
    services.talk_prepare(
        actor=world["employee"], talk=own, preparation="Mitt hemliga.", preparation_shared=False
    )
    asked = services.feedback_ask(
        actor=world["employee"], talk=own, colleague=world["colleague"], question="Vad gör jag bra?"
    )
    colleague = _client(world["colleague"])
    assert colleague.get(own.get_absolute_url()).status_code == 404
    page = colleague.get(asked.get_absolute_url()).content.decode()
    assert "Vad gör jag bra?" in page and "Mitt hemliga." not in page
    assert colleague.post(asked.get_absolute_url(), {"answer": "Du lyssnar."}).status_code == 302

    coach = _client(world["coach"])
    page = coach.get(own.get_absolute_url()).content.decode()
    assert "Mitt hemliga." not in page and "Du lyssnar." not in page
    employee = _client(world["employee"])
    employee.post(reverse("hr:feedback_share", args=[asked.pk]), {"shared": "1"})
    assert FeedbackRequest.objects.get(pk=asked.pk).shared
    page = coach.get(own.get_absolute_url()).content.decode()
    assert "Du lyssnar." in page and "Mitt hemliga." not in page

    for role in ("administrator", "hr", "manager_above", "other_manager", "team_member"):
        assert _client(world[role]).get(own.get_absolute_url()).status_code == 404
        assert _client(world[role]).get(asked.get_absolute_url()).status_code == 404


def test_the_employee_books_prepares_and_agrees(world: World) -> None:
    employee = _client(world["employee"])
    response = employee.post(
        reverse("hr:talk_create"), {"kind": "salary", "date": "2026-12-10", "counterpart": world["coach"].pk}
    )
    own = Talk.objects.get()
    assert response.status_code == 302
    employee.post(
        own.get_absolute_url(),
        {"action": "prepare", "prep-preparation": "Delas.", "prep-preparation_shared": "on"},
    )
    assert "Delas." in _client(world["coach"]).get(own.get_absolute_url()).content.decode()
    _client(world["coach"]).post(own.get_absolute_url(), {"action": "outcome", "outcome-outcome": "Ny lön."})
    employee.post(own.get_absolute_url(), {"action": "confirm"})
    own.refresh_from_db()
    assert own.status == Talk.Status.AGREED


def test_a_manager_opens_a_rehab_case_and_adds_an_entry(world: World) -> None:
    manager = _client(world["manager_above"])
    assert manager.get(reverse("hr:rehab_open")).status_code == 200
    response = manager.post(
        reverse("hr:rehab_open"),
        {
            "employee": world["employee"].pk,
            "manager": world["manager_above"].pk,
            "hr_contact": world["hr"].pk,
        },
    )
    case = RehabCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    response = manager.post(
        case.get_absolute_url(), {"entry-kind": "plan", "entry-text": "Halvtid i fyra veckor."}
    )
    assert response.status_code == 302
    assert case.entries.get().text == "Halvtid i fyra veckor."
    assert (
        _client(world["employee"])
        .post(case.get_absolute_url(), {"entry-kind": "note", "entry-text": "x"})
        .status_code
        == 404
    )
    assert _client(world["team_member"]).get(reverse("hr:rehab_open")).status_code == 403


def test_only_administrators_change_the_retention_rules(world: World) -> None:
    url = reverse("hr:settings")
    assert _client(world["hr"]).get(url).status_code == 403
    response = _client(world["administrator"]).post(
        url, {"candidate_retention_months": "12", "rehab_retention_months": "36"}
    )
    assert response.status_code == 302
    assert HrSettings.load().candidate_retention_months == 12
    assert (
        _client(world["administrator"])
        .post(url, {"candidate_retention_months": "0", "rehab_retention_months": "36"})
        .status_code
        == 400
    )


@pytest.mark.parametrize("name", ["hr:home", "hr:talk_create", "hr:recruitment_create"])
def test_logged_out_people_are_sent_to_log_in(db: None, name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert "/logga-in/" in response["Location"]


def test_the_summary_downloads_for_those_who_see_candidates(world: World) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    first = found.candidates.get()
    services.assessment_save(
        actor=world["panel_member"],
        candidate=first,
        scores=[services.ScoreInput(0, 4), services.ScoreInput(1, 3)],
    )
    url = reverse("hr:recruitment_csv", args=[found.pk])
    response = _client(world["delegate"]).get(url)
    assert response.status_code == 200
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].split(";")[1:4] == ["Socionomexamen", "Erfarenhet av utredningar", "Vill arbeta i team"]
    assert rows[1].split(";") == ["Sara Lind", "4.0", "3.0", "", "3.5", "1"]
    assert _client(world["team_member"]).get(url).status_code == 404


def test_declared_conflicts_are_shown_to_those_who_see_candidates(world: World) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    services.conflict_declare(
        actor=world["panel_member"], recruitment=found, candidate=found.candidates.get(), reason="Min granne."
    )
    assert "Min granne." in _client(world["hr"]).get(found.get_absolute_url()).content.decode()
    assert "Min granne." not in _client(world["team_member"]).get(found.get_absolute_url()).content.decode()


def test_the_forms_read_nothing_from_the_database_when_made(
    world: World, django_assert_num_queries: Any
) -> None:
    from tillit.accounts.models import User
    from tillit.hr import forms

    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    own = talk(world)
    person = world["employee"]
    with django_assert_num_queries(0):
        forms.SettingsForm()
        forms.RecruitmentCreateForm(user=person)
        forms.CandidateForm()
        forms.AssessmentForm(requirements=found.requirement_list)
        forms.ReferenceForm()
        forms.DecideForm(recruitment=found)
        forms.ConflictForm(recruitment=found)
        forms.TalkForm(counterparts=User.objects.all())
        forms.PreparationForm(instance=own)
        forms.FeedbackAskForm(talk=own)
        forms.FeedbackAnswerForm()
        forms.OutcomeForm(instance=own)
        forms.RehabOpenForm()
        forms.RehabEntryForm()
    # Django reads the instance's panel for the form's initial value; the choices stay lazy.
    with django_assert_num_queries(1):
        forms.RecruitmentEditForm(instance=found)
