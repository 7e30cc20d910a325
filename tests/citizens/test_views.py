"""Every citizens page answers each role as it should, and the lists take as many queries for many rows as for
a few."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.organisation.factories import PersonFactory, TeamFactory, UnitFactory
from tillit.citizens import services
from tillit.decisions import services as decisions
from tillit.organisation.models import Membership

from .factories import administrator, feedback, manager, member, team_member, to_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    unit = UnitFactory.create()
    team = TeamFactory.create(unit=unit)
    resident = member(name="Zelda", email="zelda@example.org", services_=[team])
    made = feedback(team, member=resident, name="Zelda", email="zelda@example.org")
    people = {
        "logged_out": AnonymousUser(),
        "member": team_member(team),
        "coach": team_member(team, role=Membership.Role.COACH),
        "manager": manager(unit),
        "outsider": team_member(),
        "no_team": PersonFactory.create(),
        "administrator": administrator(),
    }
    return {"team": team, "resident": resident, "feedback": made, "people": people}


PUBLIC = (
    "/medverka/",
    "/medverka/panelen/ga-med/",
    "/medverka/panelen/min-lank/",
    "/medverka/panelen/{token}/",
    "/medverka/panelen/{token}/andra/",
    "/medverka/panelen/{token}/mina-uppgifter.json",
    "/medverka/panelen/{token}/lamna/",
    "/medverka/synpunkt/",
    "/medverka/synpunkt/?panel={token}",
    "/medverka/synpunkt/{feedback_token}/",
    "/medverka/vad-hande/",
    "/medverka/vad-hande/?status=received",
)
LOGIN = 302
STAFF: dict[str, dict[str, int]] = {
    "/synpunkter/": {
        "logged_out": LOGIN,
        "member": 200,
        "coach": 200,
        "manager": 200,
        "outsider": 200,
        "no_team": 200,
        "administrator": 200,
    },
    "/synpunkter/{pk}/": {
        "logged_out": LOGIN,
        "member": 200,
        "coach": 200,
        "manager": 200,
        "outsider": 403,
        "no_team": 403,
        "administrator": 200,
    },
    # Only the team's members make proposals in the team.
    "/synpunkter/{pk}/forslag/": {
        "logged_out": LOGIN,
        "member": 200,
        "coach": 403,
        "manager": 403,
        "outsider": 403,
        "no_team": 403,
        "administrator": 403,
    },
    "/synpunkter/inbjudan/": {
        "logged_out": LOGIN,
        "member": 200,
        "coach": 200,
        "manager": 403,
        "outsider": 200,
        "no_team": 403,
        "administrator": 200,
    },
    "/synpunkter/panelen/": {
        "logged_out": LOGIN,
        "member": 403,
        "coach": 403,
        "manager": 403,
        "outsider": 403,
        "no_team": 403,
        "administrator": 200,
    },
}
ROLES = ("logged_out", "member", "coach", "manager", "outsider", "no_team", "administrator")


def fill(url: str, world: dict[str, Any]) -> str:
    return url.format(
        token=world["resident"].token, feedback_token=world["feedback"].token, pk=world["feedback"].pk
    )


def login_as(client: Any, person: Any) -> None:
    if person.is_authenticated:
        client.force_login(person)


@pytest.mark.parametrize("role", ROLES)
def test_the_public_pages_answer_everyone(client: Any, world: dict[str, Any], role: str) -> None:
    services.consent_publish(actor=world["people"]["administrator"], text_sv="Ny text.", text_en="New text.")
    login_as(client, world["people"][role])
    codes = {url: client.get(fill(url, world)).status_code for url in PUBLIC}
    assert codes == dict.fromkeys(PUBLIC, 200)


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_pages_answer_each_role(client: Any, world: dict[str, Any], role: str) -> None:
    login_as(client, world["people"][role])
    codes = {url: client.get(fill(url, world)).status_code for url in STAFF}
    assert codes == {url: answers[role] for url, answers in STAFF.items()}


def test_a_resident_link_opens_only_its_own_page(client: Any, world: dict[str, Any]) -> None:
    other = member(name="Annan", email="annan@example.org")
    shown = client.get(other.get_absolute_url()).content.decode()
    assert "Annan" in shown
    assert "zelda@example.org" not in shown and world["feedback"].text not in shown


def test_nothing_is_handled_by_someone_who_may_not(client: Any, world: dict[str, Any]) -> None:
    made = world["feedback"]
    for role in ("outsider", "no_team"):
        client.force_login(world["people"][role])
        url = f"/synpunkter/{made.pk}/"
        assert client.post(url, {"form": "answer", "answer-answer": "Nej."}).status_code == 403
        assert (
            client.post(
                url, {"form": "status", "status-status": "declined", "status-message": "Nej"}
            ).status_code
            == 403
        )
        assert (
            client.post(f"{url}forslag/", {"title": "X", "background": "Y", "process": "advice"}).status_code
            == 403
        )
    made.refresh_from_db()
    assert (made.answer, made.status, made.proposal) == ("", "received", None)


def query_count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def more_feedback(team: Any, staff: Any, start: int, stop: int, *, declined: bool = True) -> None:
    """Feedback at every step: received, considering, a decision, and (if asked) not taken forward."""
    for n in range(start, stop):
        feedback(team, text=f"Mottagen {n}.")
        services.feedback_set_status(
            actor=staff, feedback=feedback(team, text=f"Övervägs {n}."), status="considering"
        )
        decided = feedback(team, text=f"Beslutad {n}.")
        decisions.proposal_decide(
            actor=staff, proposal=to_proposal(staff, decided, title=f"Förslag {n}"), outcome="Ja."
        )
        services.feedback_answer(actor=staff, feedback=decided, answer=f"Svar {n}.")
        if declined:
            services.feedback_set_status(
                actor=staff,
                feedback=feedback(team, text=f"Avböjd {n}."),
                status="declined",
                message=f"Skäl {n}.",
            )


@pytest.mark.parametrize("url", ["/medverka/vad-hande/", "/medverka/vad-hande/?status=decision"])
def test_what_came_of_it_takes_the_same_queries_for_more_feedback(client: Any, url: str) -> None:
    team = TeamFactory.create()
    staff = team_member(team)
    more_feedback(team, staff, 0, 2, declined=False)
    few = query_count(client, url)
    more_feedback(team, staff, 2, 8, declined=False)
    assert query_count(client, url) == few


@pytest.mark.parametrize("url", ["/medverka/vad-hande/", "/medverka/vad-hande/?status=declined"])
def test_what_came_of_it_takes_the_same_queries_for_more_declined_feedback(client: Any, url: str) -> None:
    team = TeamFactory.create()
    staff = team_member(team)
    more_feedback(team, staff, 0, 2)
    few = query_count(client, url)
    more_feedback(team, staff, 2, 8)
    assert query_count(client, url) == few


@pytest.mark.parametrize("role", ["member", "manager", "administrator"])
@pytest.mark.parametrize("status", ["open", "all", "decision"])
def test_the_inbox_takes_the_same_queries_for_more_feedback(
    client: Any, world: dict[str, Any], role: str, status: str
) -> None:
    team, staff = world["team"], world["people"]["member"]
    client.force_login(world["people"][role])
    url = f"/synpunkter/?status={status}"
    more_feedback(team, staff, 0, 2)
    few = query_count(client, url)
    more_feedback(team, staff, 2, 8)
    assert query_count(client, url) == few


def test_the_member_page_takes_the_same_queries_for_more_invitations_and_feedback(
    client: Any, world: dict[str, Any]
) -> None:
    from .factories import invitation

    staff, resident = world["people"]["member"], world["resident"]
    url = resident.get_absolute_url()
    few = query_count(client, url)
    for n in range(5):
        invitation(staff, TeamFactory.create(), title=f"Workshop {n}")
        feedback(TeamFactory.create(), member=resident, text=f"Synpunkt {n}.")
    assert query_count(client, url) == few


def browser_post(url: str, data: dict[str, Any]) -> int:
    """Posts a page's form as a browser does: with the CSRF token from the page, and with the Origin header the
    Fetch standard sends, which is "null" when the page's Referrer-Policy is no-referrer."""
    import re

    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    shown = browser.get(url)
    assert shown.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shown.content.decode())
    assert token is not None
    origin = "null" if shown.get("Referrer-Policy") == "no-referrer" else "http://testserver"
    response = browser.post(url, {**data, "csrfmiddlewaretoken": token.group(1)}, HTTP_ORIGIN=origin)
    return int(response.status_code)


def test_a_browser_posts_the_join_form(world: dict[str, Any]) -> None:
    version = services.consent_publish(
        actor=world["people"]["administrator"], text_sv="Text.", text_en="Text."
    )
    data = {"name": "Ny", "email": "ny@example.org", "consented": "on", "consent_version": version.version}
    assert browser_post("/medverka/panelen/ga-med/", data) == 302


@pytest.mark.parametrize("which", ["feedback", "edit", "leave"])
def test_a_browser_posts_the_forms_of_the_residents_private_pages(world: dict[str, Any], which: str) -> None:
    token = world["resident"].token
    url, data = {
        "feedback": (
            f"/medverka/synpunkt/?panel={token}",
            {"team": world["team"].pk, "text": "Bra bemötande.", "email": "zelda@example.org"},
        ),
        "edit": (f"/medverka/panelen/{token}/andra/", {"name": "Zelda", "email": "zelda@example.org"}),
        "leave": (f"/medverka/panelen/{token}/lamna/", {}),
    }[which]
    assert browser_post(url, data) in (200, 302)
