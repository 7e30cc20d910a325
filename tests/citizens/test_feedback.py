"""Residents' feedback on a service, followed to what came of it: anonymous or not, from a panel member or not;
the team answers, considers, declines with a reason, or takes it on as an idea or a proposal, and the
feedback follows the idea and the proposal to their outcome. E-mails go only to those who gave an address."""

import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.labs.factories import development_lead
from tests.organisation.factories import TeamFactory
from tillit.citizens import services
from tillit.citizens.models import Feedback, FeedbackUpdate
from tillit.decisions import services as decisions
from tillit.decisions.models import Decision, Proposal
from tillit.labs import services as labs
from tillit.labs.models import Idea

from .factories import PERSONNUMMER, feedback, member, team_member, to_proposal

pytestmark = pytest.mark.django_db

FORM = "/medverka/synpunkt/"
TEXT = "Det tog tre veckor innan någon ringde tillbaka. Kan ni ha en telefontid?"
ADDRESS = "maja.mottagare@example.org"


def page(response: Any) -> str:
    return str(response.content.decode())


def statuses(made: Feedback) -> list[str]:
    return list(FeedbackUpdate.objects.filter(feedback=made).values_list("status", flat=True))


@pytest.fixture
def team() -> Any:
    return TeamFactory.create(name="Barn, unga, familj – team Norr")


@pytest.fixture
def staff(team: Any) -> Any:
    return team_member(team)


# Giving feedback.


def test_a_resident_gives_feedback_and_follows_it_by_its_link(
    client: Any, team: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert client.get(FORM).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            FORM, {"team": team.pk, "text": TEXT, "name": "Maja", "email": ADDRESS, "public": "on"}
        )
    given = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/medverka/synpunkt/{given.token}/"
    assert (given.team, given.text, given.name, given.email, given.public, given.anonymous) == (
        team,
        TEXT,
        "Maja",
        ADDRESS,
        True,
        False,
    )
    assert given.status == Feedback.Status.RECEIVED and given.member is None
    assert statuses(given) == ["received"]
    (sent,) = mail.outbox
    assert sent.to == [ADDRESS] and f"/medverka/synpunkt/{given.token}/" in sent.body
    shown = client.get(response["Location"])
    assert shown.status_code == 200
    assert shown["Referrer-Policy"] == "same-origin" and shown["X-Robots-Tag"] == "noindex"
    assert TEXT in page(shown) and team.name in page(shown)
    assert client.get("/medverka/synpunkt/fel-nyckel/").status_code == 404


def test_anonymous_feedback_keeps_no_name_no_address_and_no_member(
    client: Any, team: Any, django_capture_on_commit_callbacks: Any
) -> None:
    resident = member(email="zelda@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{FORM}?panel={resident.token}",
            {"team": team.pk, "text": TEXT, "anonymous": "on", "name": "Maja", "email": ADDRESS},
        )
    assert response.status_code == 302
    given = Feedback.objects.get()
    assert (given.anonymous, given.member, given.name, given.email) == (True, None, "", "")
    assert mail.outbox == []
    # The service itself forgets who gave it, whoever calls it.
    made = services.feedback_submit(
        team=team, text="Annan", anonymous=True, member=resident, name="Maja", email=ADDRESS
    )
    assert (made.member, made.name, made.email) == (None, "", "")


def test_a_panel_members_feedback_is_linked_to_them(client: Any, team: Any) -> None:
    resident = member(name="Zelda", email="zelda@example.org")
    shown = client.get(f"{FORM}?panel={resident.token}&tjanst={team.pk}")
    assert shown.status_code == 200
    assert 'value="zelda@example.org"' in page(shown)  # their address is offered for news
    response = client.post(
        f"{FORM}?panel={resident.token}",
        {"team": team.pk, "text": TEXT, "name": "Zelda", "email": "zelda@example.org"},
    )
    assert response.status_code == 302
    given = Feedback.objects.get()
    assert given.member == resident
    assert given.get_absolute_url() in page(client.get(resident.get_absolute_url()))
    # A wrong panel link is just feedback without a member.
    client.post(f"{FORM}?panel=fel-nyckel", {"team": team.pk, "text": "Annan synpunkt."})
    assert Feedback.objects.get(text="Annan synpunkt.").member is None


@pytest.mark.parametrize(
    "data",
    [
        {"text": f"Mitt barn {PERSONNUMMER} fick vänta."},
        {"text": ""},
        {"text": "Bra", "email": "inte-en-adress"},
        {"text": "Bra", "name": f"Maja {PERSONNUMMER}"},
        {"text": "Bra", "team": "999999"},
    ],
)
def test_bad_feedback_is_refused_with_the_text_kept_and_nothing_saved(
    client: Any, team: Any, data: dict[str, str]
) -> None:
    response = client.post(FORM, {"team": team.pk, **data})
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    if data["text"]:
        assert data["text"] in page(response)


# The team handles it.


def handle(client: Any, made: Feedback, which: str, **fields: str) -> Any:
    data = {"form": which, **{f"{which}-{name}": value for name, value in fields.items()}}
    return client.post(f"/synpunkter/{made.pk}/", data)


def test_the_team_answers_and_the_resident_with_an_address_is_told(
    client: Any, team: Any, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    made = feedback(team, email=ADDRESS)
    client.force_login(staff)
    assert handle(client, made, "answer", answer="   ").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = handle(client, made, "answer", answer="Vi prövar en telefontid från januari.")
    assert response.status_code == 302 and response["Location"] == f"/synpunkter/{made.pk}/"
    made.refresh_from_db()
    assert made.answer == "Vi prövar en telefontid från januari."
    (sent,) = mail.outbox
    assert sent.to == [ADDRESS] and "Vi prövar en telefontid från januari." in sent.body
    client.logout()
    assert "Vi prövar en telefontid från januari." in page(client.get(made.get_absolute_url()))


def test_an_answer_with_a_personal_identity_number_is_refused(client: Any, team: Any, staff: Any) -> None:
    made = feedback(team)
    client.force_login(staff)
    response = handle(client, made, "answer", answer=f"Vi ringer {PERSONNUMMER}.")
    assert response.status_code == 400
    assert f"Vi ringer {PERSONNUMMER}." in page(response)
    made.refresh_from_db()
    assert made.answer == ""


def test_considering_and_declining_with_a_reason(
    client: Any, team: Any, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    made = feedback(team, email=ADDRESS)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert handle(client, made, "status", status="considering", message="").status_code == 302
    made.refresh_from_db()
    assert made.status == Feedback.Status.CONSIDERING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ADDRESS]
    # Not taken forward needs a reason.
    response = handle(client, made, "status", status="declined", message="  ")
    assert response.status_code == 400
    made.refresh_from_db()
    assert made.status == Feedback.Status.CONSIDERING
    # Becoming a decision or an initiative is not a button: it happens through the proposal or the idea.
    assert handle(client, made, "status", status="decision", message="Klart").status_code == 400
    assert handle(client, made, "status", status="initiative", message="Klart").status_code == 400
    reason = "Telefontid finns redan på måndagar."
    with django_capture_on_commit_callbacks(execute=True):
        assert handle(client, made, "status", status="declined", message=reason).status_code == 302
    made.refresh_from_db()
    assert made.status == Feedback.Status.DECLINED
    assert statuses(made) == ["received", "considering", "declined"]
    assert len(mail.outbox) == 2 and reason in mail.outbox[1].body
    client.logout()
    assert reason in page(client.get(made.get_absolute_url()))
    # What came of it is settled.
    with pytest.raises(ValidationError):
        services.feedback_set_status(actor=staff, feedback=made, status="considering")


def test_no_e_mail_without_an_address(
    client: Any, team: Any, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    made = feedback(team)
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_answer(actor=staff, feedback=made, answer="Tack!")
        services.feedback_set_status(actor=staff, feedback=made, status="considering")
        proposal = to_proposal(staff, feedback(team, text="En annan synpunkt."))
        decisions.proposal_decide(actor=staff, proposal=proposal, outcome="Vi inför telefontid.")
    assert mail.outbox == []


def test_feedback_becomes_an_idea_and_follows_it_to_not_taken_forward(
    client: Any, team: Any, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    made = feedback(team, email=ADDRESS)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = handle(
            client,
            made,
            "idea",
            title="Telefontid",
            idea="En telefontid varje dag.",
            beneficiaries="Familjer",
        )
    assert response.status_code == 302
    made.refresh_from_db()
    idea = Idea.objects.get()
    assert made.idea == idea and made.status == Feedback.Status.CONSIDERING
    assert (idea.title, idea.problem, idea.status) == ("Telefontid", TEXT, Idea.Status.RECEIVED)
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    # Taken on once only.
    assert handle(client, made, "idea", title="Igen", idea="Igen", beneficiaries="Igen").status_code == 400
    assert Idea.objects.count() == 1
    # Assessing does not settle it; declining the idea does, with the lead's reason.
    with django_capture_on_commit_callbacks(execute=True):
        labs.idea_assess(actor=development_lead(), idea=idea, status=Idea.Status.ASSESSING)
        labs.idea_assess(
            actor=development_lead(), idea=idea, status=Idea.Status.DECLINED, message="Finns redan."
        )
    made.refresh_from_db()
    assert made.status == Feedback.Status.DECLINED
    assert FeedbackUpdate.objects.filter(feedback=made).last().message == "Finns redan."  # type: ignore[union-attr]
    to_resident = [m for m in mail.outbox if m.to == [ADDRESS]]
    assert len(to_resident) == 2 and "Finns redan." in to_resident[-1].body
    client.logout()
    assert "Finns redan." in page(client.get(made.get_absolute_url()))


def test_feedback_that_became_an_idea_becomes_an_initiative_with_it(
    client: Any, team: Any, staff: Any
) -> None:
    made = feedback(team)
    idea = services.feedback_to_idea(
        actor=staff, feedback=made, title="Telefontid", idea="En telefontid.", beneficiaries="Familjer"
    )
    lead = development_lead()
    initiative = labs.idea_to_initiative(
        actor=lead,
        idea=idea,
        title="Telefontid i Norr",
        what="En telefontid.",
        why="Familjer väntar.",
        how="Vi prövar i ett halvår.",
        contact_name="Kristina Holmér",
    )
    made.refresh_from_db()
    assert made.status == Feedback.Status.INITIATIVE
    labs.initiative_publish(actor=lead, initiative=initiative, published=True)
    assert initiative.get_absolute_url() in page(client.get(made.get_absolute_url()))
    assert initiative.get_absolute_url() in page(client.get("/medverka/vad-hande/?status=initiative"))


def test_feedback_becomes_a_proposal_in_its_team_and_follows_it_to_the_decision(
    client: Any, team: Any, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    made = feedback(team, email=ADDRESS)
    client.force_login(staff)
    url = f"/synpunkter/{made.pk}/forslag/"
    shown = client.get(url)
    assert shown.status_code == 200 and TEXT in page(shown)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "title": "Telefontid varje vardag",
                "background": TEXT,
                "process": "advice",
                "deadline": "2099-01-01T10:00",
            },
        )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.team == team and proposal.created_by == staff
    made.refresh_from_db()
    assert made.proposal == proposal and made.status == Feedback.Status.CONSIDERING
    assert ADDRESS in [m.to[0] for m in mail.outbox]
    # Taken on once only.
    assert client.post(url, {"title": "Igen", "background": "x", "process": "advice"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        decision = decisions.proposal_decide(actor=staff, proposal=proposal, outcome="Telefontid 8–9.")
    made.refresh_from_db()
    assert made.status == Feedback.Status.DECISION
    assert statuses(made) == ["received", "considering", "decision"]
    assert mail.outbox[-1].to == [ADDRESS]
    client.logout()
    shown = page(client.get(made.get_absolute_url()))
    assert decision.number in shown and "Telefontid varje vardag" in shown


def test_a_withdrawn_proposal_sends_the_feedback_back_to_considering(team: Any, staff: Any) -> None:
    made = feedback(team)
    proposal = to_proposal(staff, made)
    decisions.proposal_withdraw(actor=staff, proposal=proposal)
    made.refresh_from_db()
    assert made.status == Feedback.Status.CONSIDERING
    assert statuses(made) == ["received", "considering", "considering"]
    assert not Decision.objects.exists()


def test_after_a_withdrawn_proposal_the_team_can_take_the_feedback_further_again(
    client: Any, team: Any, staff: Any
) -> None:
    made = feedback(team)
    decisions.proposal_withdraw(actor=staff, proposal=to_proposal(staff, made))
    again = to_proposal(staff, made, title="Telefontid två dagar i veckan")
    made.refresh_from_db()
    assert made.proposal == again
    client.force_login(staff)
    assert again.get_absolute_url() in page(client.get(f"/synpunkter/{made.pk}/"))


def test_only_a_member_of_the_team_makes_a_proposal_of_it(client: Any, team: Any) -> None:
    made = feedback(team)
    coach = team_member(team, role="coach")
    client.force_login(coach)
    assert client.get(f"/synpunkter/{made.pk}/").status_code == 200
    assert f"/synpunkter/{made.pk}/forslag/" not in page(client.get(f"/synpunkter/{made.pk}/"))
    assert client.get(f"/synpunkter/{made.pk}/forslag/").status_code == 403
    client.force_login(team_member())
    assert client.get(f"/synpunkter/{made.pk}/forslag/").status_code == 403
    assert not Proposal.objects.exists()


# What came of it.


def test_what_came_of_it_shows_public_feedback_without_names_by_status(client: Any, team: Any) -> None:
    staff = team_member(team)
    feedback(team, text="Offentlig och mottagen.", name="Hemliga Hedvig", email=ADDRESS)
    declined = feedback(team, text="Offentlig och avböjd.", name="Hemliga Harald")
    services.feedback_set_status(actor=staff, feedback=declined, status="declined", message="Ingår inte.")
    decided = feedback(team, text="Offentlig och beslutad.")
    decisions.proposal_decide(actor=staff, proposal=to_proposal(staff, decided), outcome="Ja.")
    feedback(team, text="Privat synpunkt.", public=False)
    anonymous = feedback(team, text="Anonym och offentlig.", anonymous=True)
    services.feedback_set_status(actor=staff, feedback=anonymous, status="declined", message="Nej.")

    response = client.get("/medverka/vad-hande/")
    assert response.status_code == 200
    shown = page(response)
    for text in ("Offentlig och mottagen.", "Offentlig och avböjd.", "Offentlig och beslutad."):
        assert text in shown
    assert "Privat synpunkt." not in shown
    for secret in ("Hemliga Hedvig", "Hemliga Harald", ADDRESS):
        assert secret not in shown
    assert "Ingår inte." in shown  # why it was not taken forward
    assert "Telefontid varje vardag" in shown  # what it became

    declined_only = page(client.get("/medverka/vad-hande/?status=declined"))
    assert "Offentlig och avböjd." in declined_only and "Anonym och offentlig." in declined_only
    assert "Offentlig och mottagen." not in declined_only and "Offentlig och beslutad." not in declined_only
    assert "Offentlig och mottagen." in page(client.get("/medverka/vad-hande/?status=okänd"))

    def count(status: str) -> int:
        found = re.search(rf'href="\?status={status}"[^>]*>[^<]*\((\d+)\)', shown)
        assert found is not None, status
        return int(found.group(1))

    # Only public feedback is counted.
    assert {s: count(s) for s in Feedback.Status.values} == {
        "received": 1,
        "considering": 0,
        "initiative": 0,
        "decision": 1,
        "declined": 2,
    }


def test_an_unpublished_initiative_is_not_shown_on_the_public_pages(
    client: Any, team: Any, staff: Any
) -> None:
    made = feedback(team)
    idea = services.feedback_to_idea(
        actor=staff, feedback=made, title="Telefontid", idea="En telefontid.", beneficiaries="Familjer"
    )
    initiative = labs.idea_to_initiative(
        actor=development_lead(),
        idea=idea,
        title="Hemligt utkast om telefontid",
        what="En telefontid.",
        why="Familjer väntar.",
        how="Vi prövar i ett halvår.",
        contact_name="Kristina Holmér",
    )
    assert client.get(initiative.get_absolute_url()).status_code != 200  # not public yet
    for url in (made.get_absolute_url(), "/medverka/vad-hande/"):
        shown = page(client.get(url))
        assert initiative.get_absolute_url() not in shown
        assert "Hemligt utkast om telefontid" not in shown


def test_a_reason_with_a_personal_identity_number_is_refused_on_the_page(
    client: Any, team: Any, staff: Any
) -> None:
    made = feedback(team)
    client.force_login(staff)
    reason = f"Gäller barnet {PERSONNUMMER}."
    response = handle(client, made, "status", status="declined", message=reason)
    assert response.status_code == 400
    assert reason in page(response)
    made.refresh_from_db()
    assert made.status == Feedback.Status.RECEIVED
    assert not FeedbackUpdate.objects.filter(message__contains="1212").exists()


def test_the_service_refuses_a_reason_with_a_personal_identity_number(team: Any, staff: Any) -> None:
    made = feedback(team)
    with pytest.raises(ValidationError):
        services.feedback_set_status(
            actor=staff, feedback=made, status="declined", message=f"Gäller barnet {PERSONNUMMER}."
        )
    assert not FeedbackUpdate.objects.filter(message__contains="1212").exists()


def test_feedback_is_taken_on_once_as_an_idea_or_a_proposal(team: Any, staff: Any) -> None:
    as_idea = feedback(team, text="Blir en idé.")
    services.feedback_to_idea(actor=staff, feedback=as_idea, title="Idé", idea="Idé.", beneficiaries="Alla")
    with pytest.raises(ValidationError):
        to_proposal(staff, as_idea)
    as_proposal = feedback(team, text="Blir ett förslag.")
    to_proposal(staff, as_proposal)
    with pytest.raises(ValidationError):
        services.feedback_to_idea(
            actor=staff, feedback=as_proposal, title="Idé", idea="Idé.", beneficiaries="Alla"
        )
    assert Idea.objects.count() == 1 and Proposal.objects.count() == 1


def test_an_idea_taken_forward_keeps_the_feedback_under_consideration_with_the_leads_message(
    team: Any, staff: Any
) -> None:
    made = feedback(team)
    idea = services.feedback_to_idea(
        actor=staff, feedback=made, title="Idé", idea="Idé.", beneficiaries="Alla"
    )
    labs.idea_assess(
        actor=development_lead(), idea=idea, status=Idea.Status.ACCEPTED, message="Vi tar den vidare."
    )
    made.refresh_from_db()
    assert made.status == Feedback.Status.CONSIDERING
    assert FeedbackUpdate.objects.filter(feedback=made).last().message == "Vi tar den vidare."  # type: ignore[union-attr]


def test_the_team_sees_what_was_written_but_not_how_to_reach_the_resident(
    client: Any, team: Any, staff: Any
) -> None:
    resident = member(name="Zelda", email="zelda.dold@example.org", phone="070-246 80 24")
    made = feedback(team, member=resident, name="Zelda", email="zelda.dold@example.org")
    client.force_login(staff)
    services.feedback_answer(actor=staff, feedback=made, answer="Tack, vi hör av oss.")
    for url in ("/synpunkter/?status=all", f"/synpunkter/{made.pk}/", f"/synpunkter/{made.pk}/forslag/"):
        shown = page(client.get(url))
        assert "zelda.dold@example.org" not in shown and "070-246 80 24" not in shown, url
        assert resident.token not in shown and made.token not in shown, url
    assert made.text[:20] in page(client.get(f"/synpunkter/{made.pk}/"))
