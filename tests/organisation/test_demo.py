from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from tillit.accounts.models import User
from tillit.organisation.demo.exempelstad import DEMO_LOGINS, DEMO_PASSWORD
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

pytestmark = pytest.mark.django_db


def test_exempelstad_has_what_the_demo_promises():
    out = StringIO()
    call_command("demo-data", stdout=out)
    assert "anna@exempelstad.se" in out.getvalue()
    assert Unit.objects.get(kind=Unit.Kind.MUNICIPALITY).name == "Exempelstad kommun"
    administrations = set(Unit.objects.filter(kind=Unit.Kind.ADMINISTRATION).values_list("name", flat=True))
    assert administrations == {
        "Socialförvaltningen",
        "Skol- och fritidsförvaltningen",
        "Vård- och omsorgsförvaltningen",
        "Stadsledningsförvaltningen",
    }
    assert Team.objects.count() >= 8
    norr = Team.objects.get(name="Barn, unga, familj – team Norr")
    assert norr.memberships.filter(role=Membership.Role.MEMBER).count() == 6
    assert norr.memberships.filter(role=Membership.Role.COACH).count() == 2
    home_care = Team.objects.get(name="Hemtjänst Centrum")
    assert home_care.memberships.filter(role=Membership.Role.MEMBER).count() == 12
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(RoleAssignment.Role.values)
    assert not User.objects.filter(memberships__isnull=True, role_assignments__isnull=True).exists()


def test_every_demo_login_works_with_the_published_password(rf):
    call_command("demo-data", stdout=StringIO())
    for email, _role in DEMO_LOGINS:
        assert authenticate(rf.post("/logga-in/"), username=email, password=DEMO_PASSWORD) is not None, email
    anna = User.objects.get(email="anna@exempelstad.se")
    assert anna.memberships.get().team.name == "Barn, unga, familj – team Norr"
    assert User.objects.get(email="coach@exempelstad.se").memberships.filter(role="coach").count() == 2
    assert RoleAssignment.objects.filter(person__email="admin@exempelstad.se", role="administrator").exists()
    assert RoleAssignment.objects.filter(
        person__email="facilitator@exempelstad.se", role="facilitator"
    ).exists()


def test_loading_twice_changes_nothing():
    call_command("demo-data", "--brief", stdout=StringIO())
    people = User.objects.count()
    out = StringIO()
    call_command("demo-data", "--brief", stdout=out)
    assert out.getvalue() == ""
    assert User.objects.count() == people


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_decisions_roles_meetings_labs_and_follow_up_and_emails_no_one(mailoutbox):
    from tillit.decisions.models import Decision, Mandate, Proposal
    from tillit.followup.models import Indicator, Requirement, Response, Survey
    from tillit.labs.models import Idea, Initiative
    from tillit.notifications.models import Notification
    from tillit.teams.models import Meeting, Role

    call_command("demo-data", "--brief", stdout=StringIO())
    assert Mandate.objects.count() == 3
    assert Decision.objects.filter(report__isnull=False).exists()
    assert Decision.objects.filter(report__isnull=True, mandate__isnull=False).exists()
    # Three proposals in team Norr's decision work, and one to simplify a report in the rules inventory.
    open_proposals = Proposal.objects.filter(status=Proposal.Status.OPEN)
    assert open_proposals.filter(requirements__isnull=True).count() == 3
    assert open_proposals.filter(requirements__isnull=False).count() == 1
    assert Role.objects.count() == 5
    assert set(Meeting.objects.values_list("status", flat=True)) == {"closed", "planned"}
    assert Notification.objects.filter(person__email="anna@exempelstad.se").exists()
    assert Initiative.objects.filter(published_at__isnull=False, status="stopped").exists()
    assert Idea.objects.exists()
    assert Survey.objects.filter(closed_at__isnull=True, sent_at__isnull=False).exists()
    assert Response.objects.filter(person__isnull=False).count() == 0  # the demo's surveys are anonymous
    assert Indicator.objects.filter(source="kolada", values__isnull=False).exists()
    assert Requirement.objects.filter(status="removed").exists()
    assert mailoutbox == []
