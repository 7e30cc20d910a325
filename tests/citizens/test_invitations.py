"""A team invites the citizen panel by the services its members care about, to a dialogue or a co-creation
workshop. The sender sees how many it reaches, never who; Tillit writes to those with an e-mail address."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.dialogue.factories import make_dialogue
from tests.organisation.factories import TeamFactory
from tillit.citizens.models import Invitation
from tillit.core.models import HistoryEntry

from .factories import administrator, in_days, invitation, member, team_member

pytestmark = pytest.mark.django_db

URL = "/synpunkter/inbjudan/"


def page(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def panel() -> dict[str, Any]:
    norr, home_care, school = (
        TeamFactory.create(name="Team Norr"),
        TeamFactory.create(name="Hemtjänst Centrum"),
        TeamFactory.create(name="Skolan"),
    )
    return {
        "norr": norr,
        "home_care": home_care,
        "school": school,
        "samira": member(name="Samira Särskild", email="samira@example.org", services_=[norr]),
        "gunnel": member(name="Gunnel Gåtfull", email="", phone="070-123 45 67", services_=[home_care]),
        "berg": member(name="Familjen Bergström", email="berg@example.org", services_=[norr, home_care]),
        "staff": team_member(norr),
    }


def form_data(team: Any, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "team": team.pk,
        "kind": "workshop",
        "title": "Workshop om första mötet",
        "description": "Kom och pröva våra skisser.",
        "starts_at": timezone.localtime(in_days(14)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Familjens hus",
    }
    data.update(fields)
    return data


def test_a_team_member_invites_those_who_care_and_never_sees_who(
    client: Any, panel: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(panel["staff"])
    shown = client.get(URL)
    assert shown.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(panel["norr"], services=[panel["norr"].pk]), follow=True)
    assert response.status_code == 200
    made = Invitation.objects.get()
    assert (made.team, made.created_by, made.kind) == (panel["norr"], panel["staff"], "workshop")
    assert set(made.members.all()) == {panel["samira"], panel["berg"]}
    assert HistoryEntry.objects.get(action="panel.invitation_sent").changes == {"recipients": 2}
    # Tillit writes to those with an e-mail address, with their own link.
    assert sorted(m.to[0] for m in mail.outbox) == ["berg@example.org", "samira@example.org"]
    for sent in mail.outbox:
        recipient = panel["samira"] if sent.to == ["samira@example.org"] else panel["berg"]
        assert recipient.get_absolute_url() in sent.body
        assert "Workshop om första mötet" in sent.subject
    # The sender sees neither names nor addresses, before or after.
    for shown_page in (page(shown), page(response)):
        for secret in ("Samira Särskild", "Gunnel Gåtfull", "Bergström", "@example.org", "070-123"):
            assert secret not in shown_page


def test_an_invitation_without_services_goes_to_the_whole_panel(panel: dict[str, Any]) -> None:
    made = invitation(panel["staff"], panel["norr"])
    assert set(made.members.all()) == {panel["samira"], panel["gunnel"], panel["berg"]}


def test_members_who_care_about_several_of_the_services_are_invited_once(panel: dict[str, Any]) -> None:
    made = invitation(panel["staff"], panel["norr"], services_=[panel["norr"], panel["home_care"]])
    assert sorted(m.name for m in made.members.all()) == [
        "Familjen Bergström",
        "Gunnel Gåtfull",
        "Samira Särskild",
    ]


def test_no_one_who_cares_about_the_services_means_no_invitation(client: Any, panel: dict[str, Any]) -> None:
    client.force_login(panel["staff"])
    response = client.post(URL, form_data(panel["norr"], services=[panel["school"].pk]))
    assert response.status_code == 400
    assert "Workshop om första mötet" in page(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_time_in_the_past_is_refused(client: Any, panel: dict[str, Any]) -> None:
    client.force_login(panel["staff"])
    past = timezone.localtime(timezone.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(URL, form_data(panel["norr"], starts_at=past))
    assert response.status_code == 400
    assert 'id="id_starts_at_error"' in page(response)
    assert not Invitation.objects.exists()


def test_a_dialogue_invitation_needs_its_dialogue_and_shows_the_way_in(
    client: Any, panel: dict[str, Any]
) -> None:
    dialogue = make_dialogue(title="Chefsdagen 2026")
    client.force_login(panel["staff"])
    response = client.post(URL, form_data(panel["norr"], kind="dialogue"))
    assert response.status_code == 400
    assert 'id="id_dialogue_error"' in page(response)
    assert not Invitation.objects.exists()
    response = client.post(
        URL, form_data(panel["norr"], kind="dialogue", dialogue=dialogue.pk, services=[panel["norr"].pk])
    )
    assert response.status_code == 302
    assert Invitation.objects.get().dialogue == dialogue
    client.logout()
    shown = page(client.get(panel["samira"].get_absolute_url()))
    assert "Workshop om första mötet" in shown
    assert f"/d/{dialogue.join_code}/" in shown
    # Not invited, so not shown.
    assert "Workshop om första mötet" not in page(client.get(panel["gunnel"].get_absolute_url()))


def test_the_service_refuses_a_dialogue_invitation_without_a_dialogue(panel: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        invitation(panel["staff"], panel["norr"], kind=Invitation.Kind.DIALOGUE)
    with pytest.raises(ValidationError):
        invitation(panel["staff"], panel["norr"], starts_at=timezone.now() - datetime.timedelta(minutes=1))
    assert not Invitation.objects.exists()


def test_only_ones_own_team_invites_unless_administrator(client: Any, panel: dict[str, Any]) -> None:
    client.force_login(panel["staff"])
    response = client.post(URL, form_data(panel["school"]))
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    client.force_login(team_member())  # a member of another team has no team of Norr's to choose
    client.post(URL, form_data(panel["norr"]))
    assert not Invitation.objects.exists()
    client.force_login(administrator())
    assert client.post(URL, form_data(panel["school"])).status_code == 302
    assert Invitation.objects.get().team == panel["school"]


def test_someone_without_a_team_cannot_invite(client: Any, panel: dict[str, Any]) -> None:
    from tests.organisation.factories import PersonFactory

    assert client.get(URL).status_code == 302  # to log in
    client.force_login(PersonFactory.create())
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(panel["norr"])).status_code == 403
    assert not Invitation.objects.exists()


def test_an_invitation_with_a_personal_identity_number_is_refused_and_the_text_kept(
    client: Any, panel: dict[str, Any]
) -> None:
    client.force_login(panel["staff"])
    description = "Familjen med barnet 19121212-1212 berättar."
    response = client.post(URL, form_data(panel["norr"], description=description))
    assert response.status_code == 400
    assert description in page(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_member_who_chose_no_services_is_invited_only_to_the_whole_panel(panel: dict[str, Any]) -> None:
    undecided = member(name="Utan val", email="utan.val@example.org")
    for_norr = invitation(panel["staff"], panel["norr"], services_=[panel["norr"]], title="För Norr")
    assert undecided not in for_norr.members.all()
    for_all = invitation(panel["staff"], panel["norr"], title="För alla")
    assert undecided in for_all.members.all()


def test_the_panel_is_invited_only_to_a_dialogue_residents_may_join(
    client: Any, panel: dict[str, Any]
) -> None:
    from tillit.dialogue.models import Dialogue

    closed = make_dialogue(title="Teamets APT", audience=Dialogue.Audience.TEAM, team=panel["norr"])
    assert client.get(f"/d/{closed.join_code}/").status_code == 302  # a resident is sent to log in
    with pytest.raises(ValidationError):
        invitation(panel["staff"], panel["norr"], kind=Invitation.Kind.DIALOGUE, dialogue=closed)
    assert not Invitation.objects.exists()
