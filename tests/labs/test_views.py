"""The labs pages: the public portfolio, learnings and ideas work logged out; running initiatives needs rights."""

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.organisation.factories import PersonFactory, TeamFactory, UnitFactory
from tillit.labs import services
from tillit.labs.models import Attachment, EffectGoal, Idea, Indicator, Initiative, Lab, Link, Measurement
from tillit.organisation.models import Unit

from .factories import (
    LEARNINGS,
    PERSONNUMMER,
    LabFactory,
    days_ago,
    development_lead,
    ended,
    full_initiative,
    goal,
    idea,
    indicator,
    initiative,
    measurement,
    team_member,
)

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    return str(response.content.decode())


def login_url(response: Any) -> bool:
    return bool(response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")))


@pytest.fixture
def lead() -> Any:
    return development_lead(full_name="Kristina Holmér")


# The public portfolio.


@pytest.fixture
def portfolio(lead: Any) -> dict[str, Initiative]:
    social = UnitFactory.create(name="Socialförvaltningen", kind=Unit.Kind.ADMINISTRATION)
    school = UnitFactory.create(name="Skol- och fritidsförvaltningen", kind=Unit.Kind.ADMINISTRATION)
    first_lab, second_lab = (
        LabFactory.create(name="Självstyrande team"),
        LabFactory.create(name="Unga bestämmer"),
    )
    inclusion = initiative(
        actor=lead,
        title="Ökad delaktighet",
        lab=first_lab,
        area="Omsorg",
        administration=social,
        stage=Initiative.Stage.PILOT,
        published=True,
    )
    youth = initiative(
        actor=lead,
        title="Fritidsgården som unga driver själva",
        lab=second_lab,
        area="Fritid",
        administration=school,
        stage=Initiative.Stage.SCALE,
        published=True,
    )
    youth = ended(youth, learned_for_others="Låt ungdomsrådet bestämma över en riktig budget.")
    draft = initiative(actor=lead, title="Hemligt utkast om hemtjänst", lab=first_lab, area="Omsorg")
    return {"inclusion": inclusion, "youth": youth, "draft": draft}


def titles(response: Any, made: dict[str, Initiative]) -> set[str]:
    assert response.status_code == 200
    shown = page(response)
    return {key for key, item in made.items() if str(item.title) in shown}


def test_the_portfolio_shows_published_initiatives_to_anyone(
    client: Any, portfolio: dict[str, Initiative]
) -> None:
    url = reverse("labs:portfolio")
    assert url == "/portfolj/"
    assert titles(client.get(url), portfolio) == {"inclusion", "youth"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "stopped"}, {"youth"}),
        ({"status": "ongoing"}, {"inclusion"}),
        ({"status": "paused"}, set()),
        ({"stage": "pilot"}, {"inclusion"}),
        ({"stage": "scale"}, {"youth"}),
        ({"area": "Fritid"}, {"youth"}),
        ({"area": "Omsorg"}, {"inclusion"}),
        ({"q": "ökad"}, {"inclusion"}),
        ({"q": "ÖKAD"}, {"inclusion"}),
        ({"q": "Ökad Delaktighet"}, {"inclusion"}),
        ({"q": "FRITIDSGÅRDEN"}, {"youth"}),
        ({"q": "ungdomsrådet"}, {"youth"}),  # the learnings are searched too
        ({"q": "hemtjänst"}, set()),  # the draft is not found
        ({"q": "ökad fritidsgården"}, set()),  # every word must match
    ],
)
def test_the_portfolio_filters_and_searches(
    client: Any, portfolio: dict[str, Initiative], query: dict[str, str], expected: set[str]
) -> None:
    assert titles(client.get(reverse("labs:portfolio"), query), portfolio) == expected


def test_the_portfolio_filters_by_lab_and_administration(
    client: Any, portfolio: dict[str, Initiative]
) -> None:
    inclusion, youth = portfolio["inclusion"], portfolio["youth"]
    url = reverse("labs:portfolio")
    assert inclusion.lab is not None and youth.administration is not None
    assert titles(client.get(url, {"lab": inclusion.lab.pk}), portfolio) == {"inclusion"}
    assert titles(client.get(url, {"administration": youth.administration.pk}), portfolio) == {"youth"}
    both = {"lab": inclusion.lab.pk, "administration": youth.administration.pk}
    assert titles(client.get(url, both), portfolio) == set()


def test_the_portfolio_answers_htmx_with_the_results_only(
    client: Any, portfolio: dict[str, Initiative]
) -> None:
    response = client.get(reverse("labs:portfolio"), {"q": "ökad"}, headers={"HX-Request": "true"})
    assert titles(response, portfolio) == {"inclusion"}
    assert "<html" not in page(response)


def test_the_learnings_library_keeps_stopped_initiatives_and_searches_their_learnings(
    client: Any, lead: Any, portfolio: dict[str, Initiative]
) -> None:
    hidden = ended(portfolio["draft"], learned_worked="Utkastets lärdom om nattpatrullen")
    portfolio["draft"] = hidden
    url = reverse("labs:learnings")
    assert url == "/portfolj/lardomar/"
    response = client.get(url)
    assert titles(response, portfolio) == {"youth"}  # the ongoing one has no learnings, the draft is internal
    shown = page(response)
    assert "Låt ungdomsrådet bestämma över en riktig budget." in shown
    assert LEARNINGS["learned_not_worked"] in shown
    assert "nattpatrullen" not in shown
    assert "Avbruten" in shown  # its status, in Swedish
    assert titles(client.get(url, {"q": "UNGDOMSRÅDET budget"}), portfolio) == {"youth"}
    assert titles(client.get(url, {"q": "nattpatrullen"}), portfolio) == set()
    assert titles(client.get(url, {"status": "realised"}), portfolio) == set()
    services.initiative_update(
        actor=lead, initiative=portfolio["inclusion"], learned_worked="Korta möten varje morgon."
    )
    assert titles(client.get(url, {"q": "morgon"}), portfolio) == {"inclusion"}


def test_an_initiative_page_is_public_once_published(client: Any, portfolio: dict[str, Initiative]) -> None:
    youth, draft = portfolio["youth"], portfolio["draft"]
    response = client.get(f"/initiativ/{youth.slug}/")
    assert response.status_code == 200
    shown = page(response)
    for text in (
        youth.title,
        youth.what,
        youth.why,
        youth.how,
        youth.learned_worked,
        youth.learned_not_worked,
    ):
        assert str(text) in shown
    assert "Låt ungdomsrådet bestämma över en riktig budget." in shown
    assert "avbröts" in shown  # the notice that it was stopped, with its learnings
    assert reverse("labs:initiative_edit", args=[youth.slug]) not in shown  # no edit link for the public
    assert client.get(f"/initiativ/{draft.slug}/").status_code == 404
    assert client.get("/initiativ/finns-inte/").status_code == 404
    client.force_login(PersonFactory.create())
    response = client.get(f"/initiativ/{draft.slug}/")
    assert response.status_code == 200
    assert "Hemligt utkast om hemtjänst" in page(response)


def test_the_lab_page_shows_drafts_only_inside(client: Any, portfolio: dict[str, Initiative]) -> None:
    lab = portfolio["inclusion"].lab
    assert lab is not None
    url = f"/labb/{lab.slug}/"
    assert titles(client.get(url), portfolio) == {"inclusion"}
    client.force_login(PersonFactory.create())
    assert titles(client.get(url), portfolio) == {"inclusion", "draft"}
    assert client.get("/labb/finns-inte/").status_code == 404


def test_the_open_data_page_links_the_exports(client: Any) -> None:
    response = client.get("/portfolj/oppna-data/")
    assert response.status_code == 200
    shown = page(response)
    assert "/portfolj/export.json" in shown and "/portfolj/export.csv" in shown
    assert "tillit-portfolio/1" in shown


def query_count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/portfolj/", "/portfolj/lardomar/"])
def test_the_public_lists_take_the_same_queries_for_more_initiatives(
    client: Any, lead: Any, url: str
) -> None:
    for n in range(2):
        ended(full_initiative(f"Initiativ {n}", actor=lead))
    few = query_count(client, url)
    for n in range(2, 10):
        ended(full_initiative(f"Initiativ {n}", actor=lead))
    assert Initiative.objects.filter(published_at__isnull=False).count() == 10
    assert query_count(client, url) == few


@pytest.mark.parametrize("url", ["/portfolj/export.json", "/portfolj/export.csv"])
def test_the_exports_take_the_same_queries_for_more_initiatives(client: Any, lead: Any, url: str) -> None:
    UnitFactory.create(name="Exempelstad", kind=Unit.Kind.MUNICIPALITY)
    for n in range(2):
        full_initiative(f"Initiativ {n}", actor=lead)
    few = query_count(client, url)
    for n in range(2, 10):
        full_initiative(f"Initiativ {n}", actor=lead)
    assert query_count(client, url) == few


@pytest.mark.parametrize("url", ["/portfolj/export.json", "/portfolj/export.csv"])
def test_the_exports_take_the_same_queries_when_the_municipality_is_configured(
    client: Any, lead: Any, url: str, settings: Any
) -> None:
    settings.MUNICIPALITY_NAME = "Exempelstad"
    for n in range(2):
        full_initiative(f"Initiativ {n}", actor=lead)
    few = query_count(client, url)
    for n in range(2, 10):
        full_initiative(f"Initiativ {n}", actor=lead)
    assert query_count(client, url) == few


# Running an initiative.


@pytest.fixture
def team_initiative(lead: Any) -> tuple[Initiative, Any, Any]:
    """An unpublished initiative, one of its team members, and a member of another team."""
    team = TeamFactory.create()
    made = initiative(actor=lead, teams=[team], title="Ökad delaktighet")
    return made, team_member(team), team_member()


EDIT_PAGES = ["initiative_edit", "initiative_status", "initiative_parts"]


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_editing_needs_a_role_or_a_place_in_the_team(
    client: Any, lead: Any, team_initiative: tuple[Initiative, Any, Any], name: str
) -> None:
    made, member, outsider = team_initiative
    url = reverse(f"labs:{name}", args=[made.slug])
    assert login_url(client.get(url))
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 200
    client.force_login(lead)
    assert client.get(url).status_code == 200


def test_a_member_of_another_team_cannot_post_a_change(
    client: Any, team_initiative: tuple[Initiative, Any, Any]
) -> None:
    made, _member, outsider = team_initiative
    client.force_login(outsider)
    for name, data in (
        ("goal_add", {"goal-title": "Nytt mål"}),
        ("link_add", {"link-title": "Rapport", "link-url": "https://example.org"}),
        ("initiative_publish", {"published": "1"}),
    ):
        assert client.post(reverse(f"labs:{name}", args=[made.slug]), data).status_code == 403
    assert not EffectGoal.objects.exists() and not Link.objects.exists()
    made.refresh_from_db()
    assert made.published_at is None


def test_the_team_edits_but_only_those_who_run_labs_publish(
    client: Any, lead: Any, team_initiative: tuple[Initiative, Any, Any]
) -> None:
    made, member, _outsider = team_initiative
    client.force_login(member)
    shown = page(client.get(made.get_absolute_url()))
    assert reverse("labs:initiative_edit", args=[made.slug]) in shown
    assert reverse("labs:initiative_publish", args=[made.slug]) not in shown
    url = reverse("labs:initiative_publish", args=[made.slug])
    assert client.post(url, {"published": "1"}).status_code == 403
    client.force_login(lead)
    assert client.post(url, {"published": "1"})["Location"] == made.get_absolute_url()
    made.refresh_from_db()
    assert made.is_published
    client.post(url, {"published": "0"})
    made.refresh_from_db()
    assert not made.is_published


def edit_data(made: Initiative, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": made.title,
        "what": made.what,
        "why": made.why,
        "how": made.how,
        "contact_name": made.contact_name,
        "teams": [team.pk for team in made.teams.all()],
    }
    data.update(changes)
    return data


def test_the_team_saves_the_initiative_through_its_form(
    client: Any, team_initiative: tuple[Initiative, Any, Any]
) -> None:
    made, member, _outsider = team_initiative
    client.force_login(member)
    url = reverse("labs:initiative_edit", args=[made.slug])
    response = client.post(url, edit_data(made, how="Vi arbetar i tvärprofessionella team."))
    assert response["Location"] == made.get_absolute_url()
    made.refresh_from_db()
    assert made.how == "Vi arbetar i tvärprofessionella team."
    assert made.teams.count() == 1
    response = client.post(
        url, edit_data(made, pilot_start="2026-05-01", pilot_end="2026-04-01", how="Ändrat")
    )
    assert response.status_code == 400
    assert "Pilotperioden kan inte sluta innan den börjar." in page(response)
    made.refresh_from_db()
    assert made.how == "Vi arbetar i tvärprofessionella team." and made.pilot_start is None


def status_data(**changes: str) -> dict[str, str]:
    data = {"status": "stopped", "stage": "pilot"}
    data.update(changes)
    return data


def test_ending_without_learnings_through_the_page_is_refused(
    client: Any, team_initiative: tuple[Initiative, Any, Any]
) -> None:
    made, member, _outsider = team_initiative
    client.force_login(member)
    url = reverse("labs:initiative_status", args=[made.slug])
    response = client.post(url, status_data(learned_worked="Mötena blev kortare."))
    assert response.status_code == 400
    assert "Ett avslutat initiativ behåller sina lärdomar" in page(response)
    assert "Mötena blev kortare." in page(response)  # what was written is kept in the form
    made.refresh_from_db()
    assert (made.status, made.stage, made.ended_on, made.learned_worked) == (
        "ongoing",
        "explore_idea",
        None,
        "",
    )
    response = client.post(url, status_data(**LEARNINGS))
    assert response["Location"] == made.get_absolute_url()
    made.refresh_from_db()
    assert made.status == "stopped" and made.ended_on == timezone.localdate()
    assert LEARNINGS["learned_for_others"] in page(client.get(made.get_absolute_url()))


# The parts page: effect goals, indicators, measurements, links and files.


def test_the_parts_forms_add_goals_indicators_and_measurements(
    client: Any, team_initiative: tuple[Initiative, Any, Any]
) -> None:
    made, member, _outsider = team_initiative
    client.force_login(member)
    parts = reverse("labs:initiative_parts", args=[made.slug])
    response = client.post(reverse("labs:goal_add", args=[made.slug]), {"goal-title": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("labs:goal_add", args=[made.slug]), {"goal-title": "Kortare väntetid för familjerna"}
    )
    effect_goal = EffectGoal.objects.get()
    assert response["Location"] == f"{parts}#goal-{effect_goal.pk}"
    prefix = f"g{effect_goal.pk}"
    indicator_data = {
        f"{prefix}-name": "Väntetid till första besök",
        f"{prefix}-unit": "dagar",
        f"{prefix}-direction": "decrease",
        f"{prefix}-baseline": "30",
        f"{prefix}-baseline_on": "2025-01-15",
        f"{prefix}-target": "40",
        f"{prefix}-target_on": "2026-12-31",
    }
    indicator_url = reverse("labs:indicator_add", args=[made.slug, effect_goal.pk])
    response = client.post(indicator_url, indicator_data)
    assert response.status_code == 400
    assert "Väntetid till första besök" in page(response)  # the input comes back
    assert not Indicator.objects.exists()
    response = client.post(indicator_url, {**indicator_data, f"{prefix}-target": "10"})
    measured = Indicator.objects.get()
    assert response["Location"] == f"{parts}#indicator-{measured.pk}"
    assert (measured.baseline, measured.target, measured.direction) == (Decimal(30), Decimal(10), "decrease")
    measurement_url = reverse("labs:measurement_add", args=[made.slug, measured.pk])
    prefix = f"i{measured.pk}"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(measurement_url, {f"{prefix}-measured_on": tomorrow, f"{prefix}-value": "25"})
    assert response.status_code == 400
    assert "En mätning kan inte dateras framåt i tiden." in page(response)
    day = days_ago(5).isoformat()
    response = client.post(measurement_url, {f"{prefix}-measured_on": day, f"{prefix}-value": "25"})
    assert response["Location"] == f"{parts}#indicator-{measured.pk}"
    response = client.post(measurement_url, {f"{prefix}-measured_on": day, f"{prefix}-value": "24"})
    assert response.status_code == 400
    assert "Det finns redan en mätning det datumet." in page(response)
    assert [m.value for m in Measurement.objects.all()] == [Decimal(25)]
    shown = page(client.get(made.get_absolute_url()))
    assert "Kortare väntetid för familjerna" in shown and "Väntetid till första besök" in shown


def test_an_indicator_of_another_initiative_is_not_reached_through_this_one(
    client: Any, lead: Any, team_initiative: tuple[Initiative, Any, Any]
) -> None:
    made, member, _outsider = team_initiative
    foreign = indicator(goal(initiative(actor=lead, title="Annat initiativ")))
    client.force_login(member)
    prefix = f"i{foreign.pk}"
    response = client.post(
        reverse("labs:measurement_add", args=[made.slug, foreign.pk]),
        {f"{prefix}-measured_on": days_ago(1).isoformat(), f"{prefix}-value": "3.5"},
    )
    assert response.status_code == 404
    response = client.post(reverse("labs:part_remove", args=[made.slug, "indikator", foreign.pk]))
    assert response.status_code == 404
    assert Indicator.objects.filter(pk=foreign.pk).exists() and not Measurement.objects.exists()


def test_links_are_added_checked_and_removed(
    client: Any, team_initiative: tuple[Initiative, Any, Any]
) -> None:
    made, member, _outsider = team_initiative
    client.force_login(member)
    url = reverse("labs:link_add", args=[made.slug])
    response = client.post(url, {"link-title": "Rapport", "link-url": "inte en adress"})
    assert response.status_code == 400
    assert not Link.objects.exists()
    response = client.post(url, {"link-title": "Rapport", "link-url": "https://example.org/rapport"})
    assert response.status_code == 302
    link = Link.objects.get()
    assert (link.initiative, link.title) == (made, "Rapport")
    client.post(reverse("labs:part_remove", args=[made.slug, "lank", link.pk]))
    assert not Link.objects.exists()
    assert client.post(reverse("labs:part_remove", args=[made.slug, "okand", 1])).status_code == 404


def test_a_file_is_uploaded_and_public_only_with_its_initiative(
    client: Any, lead: Any, team_initiative: tuple[Initiative, Any, Any], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    made, member, _outsider = team_initiative
    client.force_login(member)
    url = reverse("labs:attachment_add", args=[made.slug])
    response = client.post(url, {"file-title": "Skript", "file-file": SimpleUploadedFile("run.exe", b"MZ")})
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    content = b"%PDF-1.4 slutrapport"
    response = client.post(
        url, {"file-title": "Slutrapport", "file-file": SimpleUploadedFile("slutrapport.pdf", content)}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.title, attachment.size, attachment.extension) == ("Slutrapport", len(content), "PDF")
    download = f"/portfolj/bilaga/{attachment.pk}/"
    response = client.get(download)
    assert response.status_code == 200  # an employee may read a draft's file
    assert b"".join(response.streaming_content) == content
    client.logout()
    assert client.get(download).status_code == 404
    services.initiative_publish(actor=lead, initiative=made, published=True)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert 'filename="slutrapport.pdf"' in response["Content-Disposition"]
    assert "Slutrapport" in page(client.get(made.get_absolute_url()))
    assert client.get("/portfolj/bilaga/999999/").status_code == 404


# Ideas.


def test_a_resident_submits_an_idea_and_follows_it_by_its_link(client: Any) -> None:
    response = client.get("/ideer/ny/")
    assert response.status_code == 200
    response = client.post(
        "/ideer/ny/",
        {
            "title": "Läxhjälp på biblioteket",
            "problem": "Barnen får ingen hjälp hemma.",
            "idea": "Volontärer ger läxhjälp två kvällar i veckan.",
            "beneficiaries": "Barn och föräldrar.",
            "submitter_name": "Maja",
            "submitter_email": "maja@example.org",
        },
    )
    submitted = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ideer/min/{submitted.token}/"
    assert submitted.submitted_by is None and submitted.submitter_email == "maja@example.org"
    response = client.get(response["Location"])
    assert response.status_code == 200
    shown = page(response)
    assert "Läxhjälp på biblioteket" in shown and "Mottagen" in shown
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.get("/ideer/min/fel-nyckel/").status_code == 404


def test_an_idea_with_a_personal_identity_number_is_refused(client: Any) -> None:
    response = client.post(
        "/ideer/ny/",
        {
            "title": "Hjälp till en familj",
            "problem": f"Barnet {PERSONNUMMER} får ingen hjälp.",
            "idea": "Mer stöd.",
            "beneficiaries": "Familjen.",
        },
    )
    assert response.status_code == 400
    assert "personnummer" in page(response)
    assert not Idea.objects.exists()


def test_a_logged_in_employee_submits_without_name_and_address(client: Any) -> None:
    anna = PersonFactory.create()
    client.force_login(anna)
    shown = page(client.get("/ideer/ny/"))
    assert 'name="submitter_email"' not in shown
    client.post(
        "/ideer/ny/",
        {
            "title": "Planeringsdag",
            "problem": "Vi planerar var för sig.",
            "idea": "En dag.",
            "beneficiaries": "Familjerna.",
        },
    )
    assert Idea.objects.get().submitted_by == anna


def test_the_idea_queue_is_for_development_leads(client: Any, lead: Any) -> None:
    submitted = idea(submitter_name="Maja")
    assert login_url(client.get("/ideer/"))
    client.force_login(team_member())
    assert client.get("/ideer/").status_code == 403
    assert client.get(f"/ideer/{submitted.pk}/").status_code == 403
    client.force_login(lead)
    response = client.get("/ideer/")
    assert response.status_code == 200
    assert submitted.title in page(response) and "Maja" in page(response)
    assert client.get(f"/ideer/{submitted.pk}/").status_code == 200


def test_assessing_an_idea_through_the_page(client: Any, lead: Any) -> None:
    submitted = idea()
    client.force_login(lead)
    url = f"/ideer/{submitted.pk}/bedom/"
    response = client.post(url, {"assess-status": "declined", "assess-message": ""})
    assert response.status_code == 400
    assert "Berätta varför för förslagsställaren" in page(response)
    submitted.refresh_from_db()
    assert submitted.status == Idea.Status.RECEIVED
    response = client.post(
        url, {"assess-status": "declined", "assess-message": "Biblioteket har redan läxhjälp."}
    )
    assert response["Location"] == f"/ideer/{submitted.pk}/"
    client.logout()
    shown = page(client.get(f"/ideer/min/{submitted.token}/"))
    assert "Tas inte vidare" in shown and "Biblioteket har redan läxhjälp." in shown
    client.force_login(lead)
    assert client.post(url, {"assess-status": "assessing", "assess-message": "Igen"}).status_code == 400


def test_an_idea_becomes_an_initiative_through_the_page(client: Any, lead: Any) -> None:
    submitted = idea(area="Skola")
    lab = LabFactory.create()
    client.force_login(lead)
    response = client.post(
        f"/ideer/{submitted.pk}/initiativ/",
        {
            "initiative-title": "Läxhjälp på kvällstid",
            "initiative-contact_name": "Kristina Holmér",
            "initiative-lab": lab.pk,
            "initiative-message": "",
        },
    )
    made = Initiative.objects.get()
    assert response["Location"] == reverse("labs:initiative_edit", args=[made.slug])
    assert (made.title, made.what, made.why, made.area, made.lab) == (
        "Läxhjälp på kvällstid",
        submitted.idea,
        submitted.problem,
        "Skola",
        lab,
    )
    submitted.refresh_from_db()
    assert submitted.initiative == made and submitted.status == Idea.Status.INITIATIVE
    shown = page(client.get(made.get_absolute_url()))
    assert reverse("labs:idea", args=[submitted.pk]) in shown  # where it started
    # Not published yet: the resident's page says so without a link.
    client.logout()
    assert made.get_absolute_url() not in page(client.get(submitted.get_absolute_url()))
    services.initiative_publish(actor=lead, initiative=made, published=True)
    assert made.get_absolute_url() in page(client.get(submitted.get_absolute_url()))


# Labs.


def test_only_those_who_run_labs_create_them_and_add_tracks(client: Any, lead: Any) -> None:
    client.force_login(team_member())
    assert client.get("/labb/nytt/").status_code == 403
    assert client.get("/labb/").status_code == 200
    client.force_login(lead)
    data = {"name": "Självstyrande team", "description": "Ett labb.", "hypothesis": "Team skapar värde."}
    response = client.post("/labb/nytt/", data)
    lab = Lab.objects.get()
    assert response["Location"] == f"/labb/{lab.slug}/"
    assert client.post("/labb/nytt/", data).status_code == 400  # the name is taken
    url = f"/labb/{lab.slug}/spar/"
    assert client.post(url, {"name": "Socialtjänst"}).status_code == 302
    response = client.post(url, {"name": "Socialtjänst"})
    assert response.status_code == 400
    assert lab.tracks.count() == 1
    client.force_login(team_member())
    assert client.post(url, {"name": "Skola"}).status_code == 403


def test_the_chart_of_an_indicator_is_on_the_public_page(client: Any, lead: Any) -> None:
    made = full_initiative("Ökad delaktighet", actor=lead)
    shown = page(client.get(made.get_absolute_url()))
    assert shown.count('class="chart__point"') == 2
    # The figures are in a table too, in Swedish number format.
    assert "3,7" in shown and "2026-04-15" in shown
    points = re.findall(r'class="chart__point" cx="([0-9.]+)" cy="([0-9.]+)"', shown)
    assert len(points) == 2 and float(points[0][1]) > float(points[1][1])  # 3,4 then 3,7: higher is up


def add_goals(made: Initiative, count: int) -> None:
    for n in range(count):
        effect_goal = goal(made, title=f"Mål {n}")
        for name in ("Inflytande", "Samverkan"):
            measured = indicator(effect_goal, name=f"{name} {n}")
            measurement(measured, datetime.date(2025, 10, 15), "3.4")
            measurement(measured, datetime.date(2026, 4, 15), "3.7")
        services.link_add(
            actor=made.created_by, initiative=made, title=f"Länk {n}", url="https://example.org"
        )


@pytest.mark.parametrize("name", ["initiative", "initiative_parts"])
def test_an_initiative_page_takes_the_same_queries_for_more_goals(
    client: Any, lead: Any, team_initiative: tuple[Initiative, Any, Any], name: str
) -> None:
    made, member, _outsider = team_initiative
    add_goals(made, 1)
    client.force_login(member)
    url = reverse(f"labs:{name}", args=[made.slug])
    few = query_count(client, url)
    add_goals(made, 4)
    assert query_count(client, url) == few


def test_the_lab_page_and_the_idea_queue_take_the_same_queries_for_more_rows(client: Any, lead: Any) -> None:
    lab = LabFactory.create()
    track = services.track_add(actor=lead, lab=lab, name="Socialtjänst")

    def more(start: int, stop: int) -> None:
        for n in range(start, stop):
            initiative(actor=lead, title=f"Initiativ {n}", lab=lab, track=track, published=n % 2 == 0)
            idea(actor=team_member(), title=f"Idé {n}")
            idea(title=f"Invånares idé {n}", submitter_name="Maja")

    client.force_login(lead)
    more(0, 2)
    counts = [query_count(client, url) for url in (f"/labb/{lab.slug}/", "/ideer/", "/labb/")]
    more(2, 10)
    assert [query_count(client, url) for url in (f"/labb/{lab.slug}/", "/ideer/", "/labb/")] == counts


def test_a_lab_is_edited_by_those_who_run_labs(client: Any, lead: Any) -> None:
    lab = LabFactory.create(name="Självstyrande team")
    url = f"/labb/{lab.slug}/andra/"
    client.force_login(team_member())
    assert client.get(url).status_code == 403
    client.force_login(lead)
    data = {
        "name": "Självstyrande team",
        "description": "Nytt.",
        "hypothesis": "Ny hypotes.",
        "research_partners": "",
    }
    response = client.post(url, data)
    assert response["Location"] == f"/labb/{lab.slug}/"
    lab.refresh_from_db()
    assert lab.hypothesis == "Ny hypotes."
    LabFactory.create(name="Unga bestämmer")
    assert client.post(url, {**data, "name": "Unga bestämmer"}).status_code == 400
    lab.refresh_from_db()
    assert lab.name == "Självstyrande team"
    assert "Ny hypotes." in page(client.get(f"/labb/{lab.slug}/"))
