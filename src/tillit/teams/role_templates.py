"""Roles that self-managing teams commonly share, written for Tillit, as a team can start from them."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RoleTemplate:
    name: Promise
    purpose: Promise
    accountabilities: Promise
    domain: Promise


ROLE_TEMPLATES: dict[str, RoleTemplate] = {
    "planning": RoleTemplate(
        _("Planning"),
        _("The team's work is planned so that the people we serve get help when they need it."),
        _(
            "Keep the schedule and the rota\nSee to it that absences are covered\nBring planning questions to the meeting"
        ),
        _("The rota, within the team's agreements"),
    ),
    "budget": RoleTemplate(
        _("Budget keeper"),
        _("The team knows its money and uses it well."),
        _(
            "Follow the budget and the outcome every month\nPrepare the forecast with the team\nAttest within the mandate"
        ),
        _("Purchases within the mandate's limits"),
    ),
    "mentor": RoleTemplate(
        _("Mentor and onboarding"),
        _("New colleagues find their feet quickly and feel welcome."),
        _("Plan each newcomer's first weeks\nBe the one newcomers ask first\nFollow up after three months"),
        _("How newcomers are introduced"),
    ),
    "facilitator": RoleTemplate(
        _("Meeting facilitator"),
        _("The team's meetings are short, useful and fair."),
        _(
            "Open the meeting and the approval of the previous minutes\nWalk through the items within their time\nSee to it that actions have an owner and a date"
        ),
        _("How the meetings are run"),
    ),
    "development": RoleTemplate(
        _("Development"),
        _("The team keeps learning and improving how it works."),
        _(
            "Collect ideas and follow the team's experiments\nShare what is learned with other teams\nKeep contact with the innovation lead"
        ),
        _("The team's list of improvements"),
    ),
    "hr": RoleTemplate(
        _("HR contact"),
        _("Questions about employment and the work environment get a quick and correct answer."),
        _(
            "Keep contact with HR\nPrepare recruitment with the team\nSee to the yearly work environment review"
        ),
        _("None of its own: the role prepares, the delegate decides"),
    ),
    "citizen": RoleTemplate(
        _("Citizen contact"),
        _("The people we serve are heard in how the team works."),
        _(
            "Gather feedback from the people we serve\nInvite them to take part as expert users\nReport back what came of it"
        ),
        _("How the team asks for feedback"),
    ),
}
