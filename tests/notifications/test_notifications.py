import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.decisions.factories import mandate, proposal, team_with_members
from tillit.decisions import services as decisions
from tillit.notifications.models import Kind, Notification, Setting
from tillit.teams.models import Role, RoleHolder

pytestmark = pytest.mark.django_db(transaction=True)  # notifications go out when the change is committed


def test_a_proposal_tells_the_team_and_the_delegate_as_each_has_chosen(mailoutbox):
    team, (anna, bo, cia) = team_with_members(3)
    order = mandate(team, cia)
    Setting.objects.create(person=bo, kind=Kind.PROPOSAL, in_app=True, email=False)
    made = proposal(team, anna, mandate=order)
    told = Notification.objects.filter(kind=Kind.PROPOSAL)
    assert {n.person for n in told} == {bo, cia}  # not the proposer
    assert all(n.url == made.get_absolute_url() for n in told)
    assert [m.to for m in mailoutbox] == [[cia.email]]  # Bo chose no e-mail
    assert made.title in mailoutbox[0].subject


def test_a_decision_tells_those_who_took_part(mailoutbox):
    team, (anna, bo, cia) = team_with_members(3)
    made = proposal(team, anna, process="vote")
    decisions.proposal_respond(actor=bo, proposal=made, position="agree")
    Notification.objects.all().delete()
    decisions.proposal_decide(actor=cia, proposal=made, outcome="Ja.")
    assert {n.person for n in Notification.objects.filter(kind=Kind.DECIDED)} == {anna, bo}


def test_reminders_are_sent_once(mailoutbox):
    team, (anna, bo, cia) = team_with_members(3)
    made = proposal(team, anna, deadline=timezone.now() + datetime.timedelta(hours=5))
    decisions.proposal_respond(actor=bo, proposal=made, position="consent")
    role = Role.objects.create(team=team, name="Planering", purpose="Schemat.")
    RoleHolder.objects.create(
        role=role,
        person=cia,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=9),
    )
    Notification.objects.all().delete()
    call_command("send-reminders")
    call_command("send-reminders")
    deadline = Notification.objects.filter(kind=Kind.DEADLINE)
    assert {n.person for n in deadline} == {anna, cia}  # Bo has responded
    assert Notification.objects.filter(kind=Kind.ROLE_TERM, person=cia).count() == 1


def test_the_notifications_page_lists_marks_read_and_saves_choices(client):
    team, (anna, bo, _cia) = team_with_members(3)
    made = proposal(team, anna)
    client.force_login(bo)
    page = client.get(reverse("notifications:list")).content.decode()
    assert made.title in page and 'class="badge"' in page
    client.post(reverse("notifications:list"), {"what": "read"})
    assert not Notification.objects.filter(person=bo, read_at__isnull=True).exists()
    client.post(reverse("notifications:list"), {"proposal-in_app": "on"})
    setting = Setting.objects.get(person=bo, kind=Kind.PROPOSAL)
    assert setting.in_app and not setting.email
    assert not Setting.objects.get(person=bo, kind=Kind.REVIEW).in_app
