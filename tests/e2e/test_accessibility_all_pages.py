"""Every main page, for every kind of login and logged out, is free of WCAG 2.1 A/AA violations (axe-core).

One test per login and page, so that a failure names both (``test_page_is_accessible_on_desktop[chromium-
admin-unit-edit]``). The flows in the other files go through the forms as a person would; here the pages
are opened directly, in one browser window shared by the whole module (a fresh window per test costs about a
second), logged in by giving it a session cookie for the demo person, as the login form would.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    ADMIN,
    ANNA,
    COACH,
    DESKTOP,
    FACILITATOR,
    LEAD,
    PHONE,
    TEAM_NORR,
    TIMEOUT_MS,
    click_through,
    path_of,
    visit,
    watch_for_problems,
)

LOGINS = {
    "logged-out": None,
    "anna": ANNA,
    "coach": COACH,
    "facilitator": FACILITATOR,
    "admin": ADMIN,
    "lead": LEAD,
}

# Addresses may name demo objects by placeholder: {anna} is Anna's person id.
PUBLIC = {
    "start": "/",
    "accessibility": "/tillganglighet/",
    "api-docs": "/api-dokumentation/",
}
LOGGED_OUT = {
    "login": "/logga-in/",
    "login-required": "/organisation/",
    "password-reset": "/losenord/glomt/",
    "password-reset-sent": "/losenord/skickat/",
    "password-reset-bad-link": "/losenord/nytt/MQ/fel-nyckel/",
    "password-reset-complete": "/losenord/klart/",
    "invitation-bad-link": "/inbjudan/fel-nyckel/",
}
LOGGED_IN = {
    "organisation": "/organisation/",
    "administration-unit": "/enheter/socialforvaltningen/",
    "unit": "/enheter/barn-unga-och-familj/",
    "team": TEAM_NORR,
    "people": "/personer/",
    "people-search": "/personer/?q=Lindqvist",
    "people-page-2": "/personer/?page=2",
    "person": "/personer/{anna}/",
    "account": "/mitt-konto/",
    "notifications": "/notiser/",
    "decision-register": "/beslut/",
    "decision-register-filtered": "/beslut/?status=delegated&q=surfplattor",
    "decision": "/beslut/{decision}/",
    "delegation-order": "/delegationsordning/",
    "mandate": "/delegationsordning/{mandate}/",
    "team-mandates": TEAM_NORR + "mandat/",
    "committee-report": "/delegationsbeslut/",
    "committee-report-period": "/delegationsbeslut/?committee={committee}&start=2026-01-01&end=2026-12-31",
    "committee-report-print": "/delegationsbeslut/?committee={committee}&start=2026-01-01&end=2026-12-31&print=1",
}
ADMINISTRATION = {
    "administration": "/administration/",
    "unit-create": "/administration/enheter/ny/",
    "unit-create-under": "/administration/enheter/ny/?parent=socialforvaltningen",
    "unit-edit": "/administration/enheter/barn-unga-och-familj/andra/",
    "team-create": "/administration/team/nytt/",
    "team-create-in": "/administration/team/nytt/?unit=barn-unga-och-familj",
    "team-members": "/administration/team/barn-unga-familj-team-norr/medlemmar/",
    "person-create": "/administration/personer/ny/",
    "person-edit": "/administration/personer/{anna}/",
    "invitations": "/administration/inbjudningar/",
    "mandate-create": "/delegationsordning/ny/",
}
TEAM_EDIT = {
    "anna": TEAM_NORR + "andra/",
    "coach": TEAM_NORR + "andra/",
    "facilitator": "/team/hr-utveckling/andra/",
    "admin": TEAM_NORR + "andra/",
}
# Anna is in team Norr: she proposes there, and the demo's open proposals are hers to answer and amend.
TEAM_NORR_MEMBER = {
    "proposal-create": TEAM_NORR + "forslag/nytt/",
    "proposal-open": "/forslag/{open_proposal}/",
    "proposal-advice": "/forslag/{advice_proposal}/",
    "proposal-amend": "/forslag/{advice_proposal}/andra/",
    "proposal-decided": "/forslag/{decided_proposal}/",
    "mandate-change": "/delegationsordning/{mandate}/foresla-andring/",
    "roles": TEAM_NORR + "roller/",
    "role": "/roller/{role}/",
    "meetings": TEAM_NORR + "moten/",
    "meeting-closed": "/moten/{closed_meeting}/",
    "meeting-planned": "/moten/{planned_meeting}/",
}
# The demo's stopped initiative, with its learnings, an effect goal and two measurements; team Norr works in it.
STOPPED_INITIATIVE = "/initiativ/sjalvorganiserat-arbetssatt-i-myndighetsutovning/"
# The public portfolio: the lead sees the same pages with the buttons to run them.
LABS_PUBLIC = {
    "portfolio": "/portfolj/",
    "portfolio-filtered": "/portfolj/?status=stopped&q=myndighet",
    "learnings": "/portfolj/lardomar/",
    "open-data": "/portfolj/oppna-data/",
    "initiative": STOPPED_INITIATIVE,
    "initiative-running": "/initiativ/{running_initiative}/",
    "lab": "/labb/sjalvstyrande-team/",
    "idea-submit": "/ideer/ny/",
}
# The resident's own page for the idea they sent.
LABS_RESIDENT = {"idea-status": "/ideer/min/{idea_token}/"}
# The development lead runs the labs and the idea intake.
LABS_LEAD = {
    "labs": "/labb/",
    "lab-create": "/labb/nytt/",
    "lab-edit": "/labb/sjalvstyrande-team/andra/",
    "initiative-create": "/initiativ/nytt/",
    "initiative-create-in-lab": "/initiativ/nytt/?labb=sjalvstyrande-team",
    "initiative-edit": STOPPED_INITIATIVE + "andra/",
    "initiative-status": STOPPED_INITIATIVE + "status/",
    "initiative-parts": STOPPED_INITIATIVE + "delar/",
    "ideas": "/ideer/",
    "ideas-all": "/ideer/?status=",
    "idea": "/ideer/{idea}/",
    "import": "/labb/importera/",
}
# Anna works in team Norr, one of the teams of the stopped initiative: she keeps its page.
LABS_TEAM_MEMBER = {
    "labs": "/labb/",
    "initiative": STOPPED_INITIATIVE,
    "initiative-parts": STOPPED_INITIATIVE + "delar/",
    "idea-submit": "/ideer/ny/",
}
# The follow-up, for everyone logged in: the demo's open survey (round 3 of team Norr's effects survey), the results
# of its first round (shared by the team), the Kolada indicator, the inventory and one of its removed routines.
FOLLOWUP = {
    "followup": "/uppfoljning/",
    "survey-create": "/uppfoljning/enkater/ny/",
    "survey": "/uppfoljning/enkater/{open_survey}/",
    "survey-results-shared": "/uppfoljning/enkater/{shared_results}/resultat/",
    "indicators": "/uppfoljning/indikatorer/",
    "indicator": "/uppfoljning/indikatorer/{kolada_indicator}/",
    "inventory": "/uppfoljning/regler/",
    "inventory-filtered": "/uppfoljning/regler/?origin=unit",
    "requirement": "/uppfoljning/regler/{removed_requirement}/",
    "requirement-create": "/uppfoljning/regler/ny/",
}
# Anna is asked in the open survey, sees her team's results of round 2 with the trend before the unit does, and
# proposes changes to the rules her team works under.
FOLLOWUP_TEAM_MEMBER = {
    "survey-answer": "/uppfoljning/enkater/{open_survey}/svara/",
    "survey-preview": "/uppfoljning/enkater/{open_survey}/forhandsgranska/",
    "survey-results": "/uppfoljning/enkater/{team_results}/resultat/",
    "requirement-propose": "/uppfoljning/regler/{active_requirement}/foresla/",
}
# The coach made the team's surveys: a closed one has the new-round form, and the round-2 results are the team's.
FOLLOWUP_COACH = {
    "survey-closed": "/uppfoljning/enkater/{team_results}/",
    "survey-preview": "/uppfoljning/enkater/{open_survey}/forhandsgranska/",
    "survey-results": "/uppfoljning/enkater/{team_results}/resultat/",
}
# Above the team: results the team has not shared yet show nothing.
FOLLOWUP_ABOVE_TEAM = {"survey-results-not-shared": "/uppfoljning/enkater/{team_results}/resultat/"}
# The development lead keeps the indicators: the forms to import, link and create.
FOLLOWUP_LEAD = {
    "indicator-create": "/uppfoljning/indikatorer/ny/",
    "indicator-survey": "/uppfoljning/indikatorer/{survey_indicator}/",
    "requirement-proposed": "/uppfoljning/regler/{proposed_requirement}/",
    "requirement-edit": "/uppfoljning/regler/{proposed_requirement}/andra/",
}
# A team's economy: every login has the start page, the attestation queue, the list of attestants and the
# absences; team Norr's cost centre 1410 is Anna's (a member), the coach's (manager of its unit and a decision
# attestant) and the administrator's. {review_transaction} waits for its review step, which Anna may take;
# {rejected_transaction} was rejected with a comment.
ECONOMY = {
    "economy": "/ekonomi/",
    "economy-queue": "/ekonomi/attest/",
    "economy-attestants": "/ekonomi/attestanter/",
    "economy-absences": "/ekonomi/franvaro/",
}
ECONOMY_TEAM_NORR = {
    "economy-cost-centre": "/ekonomi/1410/",
    "economy-cost-centre-next-year": "/ekonomi/1410/?ar={next_year}",
    "economy-month": "/ekonomi/1410/{year}/{month}/",
    "economy-month-deviation": "/ekonomi/1410/{year}/{deviation_month}/",
    "economy-queue-all": "/ekonomi/attest/?visa=alla",
    "economy-transaction-create": "/ekonomi/attest/ny/",
    "economy-transactions-import": "/ekonomi/attest/importera/",
    "economy-transaction": "/ekonomi/attest/{review_transaction}/",
    "economy-transaction-rejected": "/ekonomi/attest/{rejected_transaction}/",
}
# Managers of the cost centre's unit and administrators set the budget; administrators import the outcomes.
ECONOMY_BUDGET = {"economy-budget": "/ekonomi/1410/budget/"}
ECONOMY_IMPORT = {"economy-outcomes-import": "/ekonomi/utfall/"}
# HR processes: Anna works in team Norr, which is recruiting (she is on the panel) and has her appraisal talk
# with the coach; the coach decides the recruitment and is the responsible manager of a rehabilitation case whose
# HR contact is the facilitator, who was also asked for feedback before Anna's talk.
HR = {"hr": "/hr/"}
HR_ANNA = {
    "hr-talk-create": "/hr/samtal/nytt/",
    "hr-talk": "/hr/samtal/{talk}/",
    "hr-recruitment-create": "/hr/rekrytering/ny/",
    "hr-recruitment": "/hr/rekrytering/{recruitment}/",
    "hr-recruitment-edit": "/hr/rekrytering/{recruitment}/andra/",
    "hr-candidate": "/hr/rekrytering/{recruitment}/kandidater/{candidate}/",
}
HR_COACH = {
    "hr-talk": "/hr/samtal/{talk}/",
    "hr-recruitment": "/hr/rekrytering/{recruitment}/",
    "hr-decide": "/hr/rekrytering/{recruitment}/beslut/",
    "hr-rehab-create": "/hr/rehab/ny/",
    "hr-rehab": "/hr/rehab/{rehab}/",
}
HR_FACILITATOR = {
    "hr-feedback": "/hr/samtal/aterkoppling/{hr_feedback}/",
    "hr-candidate": "/hr/rekrytering/{recruitment}/kandidater/{candidate}/",
    "hr-rehab-create": "/hr/rehab/ny/",
    "hr-rehab": "/hr/rehab/{rehab}/",
}
HR_ADMIN = {"hr-retention": "/hr/gallring/"}
# Residents take part without an account: the panel, a member's own pages (by their link), feedback and what
# came of it. Employees handle the feedback to their teams and invite the panel; the administrator keeps the
# consent text and the retention rule.
CITIZENS = {
    "citizens": "/medverka/",
    "citizens-join": "/medverka/panelen/ga-med/",
    "citizens-send-link": "/medverka/panelen/min-lank/",
    "citizens-feedback": "/medverka/synpunkt/",
    "citizens-outcomes": "/medverka/vad-hande/",
    "citizens-outcomes-declined": "/medverka/vad-hande/?status=declined",
    "citizens-event": "/medverka/traff/{event}/",
}
CITIZENS_RESIDENT = {
    "citizens-member": "/medverka/panelen/{member_token}/",
    "citizens-member-edit": "/medverka/panelen/{member_token}/andra/",
    "citizens-member-leave": "/medverka/panelen/{member_token}/lamna/",
    "citizens-feedback-status": "/medverka/synpunkt/{feedback_token}/",
}
CITIZENS_TEAM = {
    "citizens-inbox": "/synpunkter/",
    "citizens-feedback-handle": "/synpunkter/{citizen_feedback}/",
    "citizens-feedback-propose": "/synpunkter/{citizen_feedback}/forslag/",
    "citizens-invite": "/synpunkter/inbjudan/",
}
CITIZENS_ADMIN = {"citizens-settings": "/synpunkter/panelen/"}
STATUS = {"invitation-bad-link": 410}


def pages_for(login: str) -> dict[str, str]:
    pages = dict(PUBLIC) | CITIZENS
    if login == "logged-out":
        return pages | LOGGED_OUT | LABS_PUBLIC | LABS_RESIDENT | CITIZENS_RESIDENT
    pages |= LOGGED_IN | FOLLOWUP | ECONOMY | HR
    if login == "anna":
        pages |= HR_ANNA | CITIZENS_TEAM
    if login == "coach":
        pages |= HR_COACH
    if login == "facilitator":
        pages |= HR_FACILITATOR
    if login == "admin":
        pages |= HR_ADMIN | CITIZENS_ADMIN
    if login in ("anna", "coach", "admin"):
        pages |= ECONOMY_TEAM_NORR
    if login in ("coach", "admin"):
        pages |= ECONOMY_BUDGET
    if login == "admin":
        pages |= ECONOMY_IMPORT
    if login in TEAM_EDIT:
        pages |= {"team-edit": TEAM_EDIT[login]}
    if login == "anna":
        pages |= TEAM_NORR_MEMBER | LABS_TEAM_MEMBER | FOLLOWUP_TEAM_MEMBER
    if login == "lead":
        pages |= LABS_PUBLIC | LABS_LEAD | FOLLOWUP_LEAD
    if login == "coach":
        pages |= {"coached-teams": "/mina-team/"} | FOLLOWUP_COACH
    if login in ("facilitator", "lead", "admin"):
        pages |= FOLLOWUP_ABOVE_TEAM
    return pages | ADMINISTRATION if login == "admin" else pages


DESKTOP_CASES = [(login, name, path) for login in LOGINS for name, path in pages_for(login).items()]
PHONE_PAGES = {
    "logged-out": [
        "start",
        "login",
        "accessibility",
        "portfolio",
        "initiative",
        "idea-submit",
        "idea-status",
        "citizens",
        "citizens-join",
        "citizens-member",
        "citizens-member-edit",
        "citizens-member-leave",
        "citizens-feedback",
        "citizens-feedback-status",
        "citizens-outcomes",
        "citizens-event",
    ],
    "anna": [
        "start",
        "team",
        "people",
        "account",
        "proposal-open",
        "decision-register",
        "decision",
        "meeting-closed",
        "followup",
        "survey-answer",
        "survey-results",
        "inventory",
        "economy-cost-centre",
        "economy-queue",
        "economy-transaction",
        "economy-transactions-import",
        "hr-talk",
        "hr-recruitment",
        "citizens-inbox",
        "citizens-feedback-handle",
    ],
    "coach": [
        "start",
        "team",
        "people",
        "account",
        "coached-teams",
        "survey-closed",
        "economy-budget",
        "hr-rehab",
    ],
    "facilitator": ["start", "team", "people", "account", "survey-results-shared"],
    "admin": [
        "start",
        "organisation",
        "person-edit",
        "team-members",
        "invitations",
        "economy-queue",
        "economy-attestants",
        "economy-outcomes-import",
        "hr-retention",
    ],
    "lead": [
        "portfolio",
        "initiative",
        "labs",
        "initiative-parts",
        "initiative-status",
        "ideas",
        "idea",
        "indicator",
        "inventory",
    ],
}
PHONE_CASES = [
    (login, name, pages_for(login)[name]) for login, names in PHONE_PAGES.items() for name in names
]


def case_id(case: tuple[Any, ...]) -> str:
    return f"{case[0]}-{case[1]}"


@pytest.fixture(scope="module")
def shared_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(TIMEOUT_MS)
    yield watch_for_problems(context.new_page())
    context.close()


def session_cookie_for(email: str) -> str:
    """A session as the login form would create it, without going through the form each time."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from tillit.accounts.models import User

    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return session.session_key


@dataclass
class Browse:
    page: Page
    base_url: str
    placeholders: dict[str, Any] = field(default_factory=dict)

    def as_login(self, login: str, viewport: dict[str, int] = DESKTOP) -> Page:
        from django.conf import settings

        context = self.page.context
        context.clear_cookies()
        self.page._tillit_problems.clear()  # type: ignore[attr-defined]
        self.page.set_viewport_size(viewport)  # type: ignore[arg-type]
        email = LOGINS[login]
        if email:
            cookie = {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie_for(email),
                "url": self.base_url,
            }
            context.add_cookies([cookie])  # type: ignore[list-item]
        return self.page

    def path(self, template: str) -> str:
        return template.format(**self.placeholders)


@pytest.fixture
def browse(shared_page: Page, exempelstad: Any, base_url: str) -> Browse:
    from tillit.accounts.models import User
    from tillit.citizens.models import Feedback, Invitation, PanelMember
    from tillit.decisions.models import Committee, Decision, Mandate, Proposal
    from tillit.economy.models import Transaction
    from tillit.followup.models import Indicator, Requirement, Survey
    from tillit.hr.models import FeedbackRequest, Recruitment, RehabCase, Talk
    from tillit.labs.models import Idea, Initiative
    from tillit.teams.models import Meeting, Role

    today = timezone.localdate()
    tablets = Decision.objects.get(proposal__title="Surfplattor till hembesöken")
    resident_idea = Idea.objects.get(title="Läxhjälp på biblioteket på kvällstid")
    placeholders = {
        "anna": User.objects.get(email=ANNA).pk,
        "decision": tablets.pk,
        "decided_proposal": tablets.proposal_id,
        "mandate": Mandate.objects.get(number="3.2").pk,
        "committee": Committee.objects.get(name="Socialnämnden").pk,
        "open_proposal": Proposal.objects.get(title="Gemensam lunchpaus på onsdagar").pk,
        "advice_proposal": Proposal.objects.get(title="Pröva öppen mottagning på fredagar").pk,
        "role": Role.objects.get(template="budget").pk,
        "closed_meeting": Meeting.objects.get(status=Meeting.Status.CLOSED).pk,
        "planned_meeting": Meeting.objects.get(status=Meeting.Status.PLANNED).pk,
        "running_initiative": Initiative.objects.get(title="Fritidsgården som unga driver själva").slug,
        "idea": resident_idea.pk,
        "idea_token": resident_idea.token,
        "open_survey": Survey.objects.get(template="effects", round=3).pk,
        "team_results": Survey.objects.get(template="effects", round=2).pk,
        "shared_results": Survey.objects.get(template="effects", round=1).pk,
        "kolada_indicator": Indicator.objects.get(source=Indicator.Source.KOLADA).pk,
        "survey_indicator": Indicator.objects.get(source=Indicator.Source.SURVEY).pk,
        "removed_requirement": Requirement.objects.get(title__startswith="Tidrapport").pk,
        "active_requirement": Requirement.objects.get(title__startswith="Veckostatistik").pk,
        "proposed_requirement": Requirement.objects.get(title__startswith="Månadsrapport").pk,
        "year": today.year,
        "next_year": today.year + 1,
        "month": today.month,
        # July's temporary staff pushed its outcome far over the budget (once July is booked).
        "deviation_month": 7,
        "review_transaction": Transaction.objects.get(reference="F-1203").pk,
        "rejected_transaction": Transaction.objects.get(reference="F-5521").pk,
        "recruitment": (recruiting := Recruitment.objects.get(title="Socialsekreterare, barn och unga")).pk,
        "candidate": recruiting.candidates.get(number=1).pk,
        "talk": Talk.objects.get(employee__email=ANNA).pk,
        "rehab": RehabCase.objects.get().pk,
        "hr_feedback": FeedbackRequest.objects.get().pk,
        "event": Invitation.objects.get().pk,
        "member_token": PanelMember.objects.get(name="Samira").token,
        "feedback_token": (answered := Feedback.objects.get(text__startswith="Det tog tre veckor")).token,
        "citizen_feedback": answered.pk,
    }
    return Browse(shared_page, base_url, placeholders)


def assert_no_sideways_scrolling(page: Page, viewport: dict[str, int]) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, (
        f"{page.url} scrolls sideways by {overflow}px at {viewport['width']}px wide (WCAG 1.4.10 reflow)"
    )


def assert_logged_in_as(page: Page, login: str) -> None:
    logout = page.locator('header form[action="/logga-ut/"] button')
    expect(logout).to_have_count(0 if login == "logged-out" else 1)


@pytest.mark.parametrize(("login", "name", "path"), DESKTOP_CASES, ids=map(case_id, DESKTOP_CASES))
def test_page_is_accessible_on_desktop(browse: Browse, login: str, name: str, path: str) -> None:
    page = browse.as_login(login)
    visit(page, browse.path(path), status=STATUS.get(name, 200))
    expect(page.locator("main h1")).to_have_count(1)
    assert_logged_in_as(page, login)


@pytest.mark.parametrize(("login", "name", "path"), PHONE_CASES, ids=map(case_id, PHONE_CASES))
def test_page_is_accessible_on_a_phone(browse: Browse, login: str, name: str, path: str) -> None:
    page = browse.as_login(login, PHONE)
    visit(page, browse.path(path), status=STATUS.get(name, 200))
    assert_no_sideways_scrolling(page, PHONE)


# Where a login may not go, or there is nothing, the answer is still a Tillit page: in Swedish, with the
# site's navigation to go on from. (login, page, address, status)
ERROR_CASES = [
    ("anna", "administration-forbidden", "/administration/", 403),
    ("coach", "administration-forbidden", "/administration/", 403),
    ("facilitator", "person-edit-forbidden", "/administration/personer/{anna}/", 403),
    ("anna", "unit-not-found", "/enheter/finns-inte/", 404),
    ("logged-out", "page-not-found", "/finns-inte/", 404),
    ("anna", "lab-create-forbidden", "/labb/nytt/", 403),
    ("anna", "ideas-forbidden", "/ideer/", 403),
    ("logged-out", "idea-status-bad-link", "/ideer/min/fel-nyckel/", 404),
    # The facilitator was not asked in team Norr's survey: there is nothing to answer.
    ("facilitator", "survey-answer-forbidden", "/uppfoljning/enkater/{open_survey}/svara/", 403),
    ("anna", "indicator-create-forbidden", "/uppfoljning/indikatorer/ny/", 403),
    ("anna", "economy-budget-forbidden", "/ekonomi/1410/budget/", 403),
    ("anna", "economy-outcomes-import-forbidden", "/ekonomi/utfall/", 403),
    ("facilitator", "economy-cost-centre-forbidden", "/ekonomi/1410/", 403),
    ("anna", "economy-cost-centre-not-found", "/ekonomi/9999/", 404),
]


@pytest.mark.parametrize(("login", "name", "path", "status"), ERROR_CASES, ids=map(case_id, ERROR_CASES))
def test_error_page_is_an_accessible_tillit_page_in_swedish(
    browse: Browse, login: str, name: str, path: str, status: int
) -> None:
    page = browse.as_login(login)
    visit(page, browse.path(path), status=status)
    # A loaded error page does not change, so plain assertions fail at once instead of after a timeout.
    assert page.locator("html").get_attribute("lang") == "sv", f"{path} is not a Swedish page"
    assert page.locator("header nav.site-nav").count() == 1, f"{path} has no site navigation to go on from"
    assert page.locator("main h1").count() == 1, f"{path} has no main heading"
    assert_logged_in_as(page, login)


ZOOMED = {"width": 320, "height": 256}  # a 1280×1024 window at 400 % zoom (WCAG 1.4.10 reflow)
ZOOM_CASES = [
    ("logged-out", "accessibility", "/tillganglighet/"),
    ("anna", "start", "/"),
    ("anna", "team", TEAM_NORR),
    ("anna", "people", "/personer/"),
    ("admin", "team-members", "/administration/team/barn-unga-familj-team-norr/medlemmar/"),
    ("admin", "invitations", "/administration/inbjudningar/"),
]


@pytest.mark.parametrize(("login", "name", "path"), ZOOM_CASES, ids=map(case_id, ZOOM_CASES))
def test_page_reflows_at_400_percent_zoom(browse: Browse, login: str, name: str, path: str) -> None:
    page = browse.as_login(login, ZOOMED)
    visit(page, browse.path(path))
    assert_no_sideways_scrolling(page, ZOOMED)


@dataclass(frozen=True)
class FormCase:
    login: str
    path: str
    button: str
    fill: dict[str, str] = field(default_factory=dict)
    status: int = 200
    field_errors: bool = True
    check: tuple[str, ...] = ()  # radio buttons and checkboxes to tick before sending
    after: str | None = None  # where the form comes back, when it is sent to another address than its page's


PERSONNUMMER_TEXT = "Vi hjälper familjen med personnummer 19811218-9876."
FORM_CASES = {
    "logged-out-login": FormCase("logged-out", "/logga-in/", "main form button[type=submit]"),
    "logged-out-login-wrong-password": FormCase(
        "logged-out",
        "/logga-in/",
        "main form button[type=submit]",
        {"input[name=username]": ANNA, "input[name=password]": "fel-losenord"},
        field_errors=False,
    ),
    "logged-out-password-reset": FormCase("logged-out", "/losenord/glomt/", "main form button[type=submit]"),
    "logged-out-accessibility-report": FormCase(
        "logged-out", "/tillganglighet/", "main form button[type=submit]"
    ),
    "anna-account-token": FormCase(
        "anna", "/mitt-konto/", "section[aria-labelledby=new-token-title] button[type=submit]"
    ),
    "anna-team-edit": FormCase(
        "anna",
        TEAM_NORR + "andra/",
        "main form button[type=submit]",
        {"textarea[name=purpose]": PERSONNUMMER_TEXT},
    ),
    "admin-unit-create": FormCase("admin", "/administration/enheter/ny/", "main form button[type=submit]"),
    "admin-unit-edit": FormCase(
        "admin",
        "/administration/enheter/barn-unga-och-familj/andra/",
        "main form:not([action]) button[type=submit]",
        {"input[name=name]": ""},
    ),
    "admin-team-create": FormCase("admin", "/administration/team/nytt/", "main form button[type=submit]"),
    "admin-team-members": FormCase(
        "admin",
        "/administration/team/barn-unga-familj-team-norr/medlemmar/",
        "section[aria-labelledby=add-title] button[type=submit]",
        {"input[name=person]": "ingen.alls@exempelstad.se"},
    ),
    "admin-person-create": FormCase("admin", "/administration/personer/ny/", "main form button[type=submit]"),
    "admin-person-edit": FormCase(
        "admin",
        "/administration/personer/{anna}/",
        "section[aria-labelledby=details-title] button[type=submit]",
        {"input[name=person-full_name]": "", "input[name=person-email]": "inte-en-adress"},
    ),
    "admin-invitations": FormCase(
        "admin", "/administration/inbjudningar/", "section[aria-labelledby=invite-title] button[type=submit]"
    ),
    "logged-out-idea-submit": FormCase(
        "logged-out", "/ideer/ny/", "main form button[type=submit]", status=400
    ),
    "lead-lab-create": FormCase("lead", "/labb/nytt/", "main form button[type=submit]", status=400),
    "lead-initiative-create": FormCase(
        "lead", "/initiativ/nytt/", "main form button[type=submit]", status=400
    ),
    # Stopping an initiative without its learnings is refused.
    "coach-survey-create": FormCase(
        "coach", "/uppfoljning/enkater/ny/", "main form button[type=submit]", status=400
    ),
    # No question of the demo's survey is required, and an empty answer sheet is refused as a whole.
    "anna-survey-answer-empty": FormCase(
        "anna",
        "/uppfoljning/enkater/{open_survey}/svara/",
        "main form button[type=submit]",
        status=400,
        field_errors=False,
    ),
    "lead-indicator-create-kolada": FormCase(
        "lead",
        "/uppfoljning/indikatorer/ny/",
        "main form button[type=submit]",
        {"input[name=name]": "Arbetslöshet", "input[name=kolada_kpi]": "fel"},
        status=400,
        check=("main form input[name=source][value=kolada]",),
    ),
    "anna-requirement-create": FormCase(
        "anna", "/uppfoljning/regler/ny/", "main form button[type=submit]", status=400
    ),
    "anna-requirement-propose": FormCase(
        "anna",
        "/uppfoljning/regler/{active_requirement}/foresla/",
        "main form button[type=submit]",
        status=400,
    ),
    "lead-requirement-create": FormCase(
        "lead", "/uppfoljning/regler/ny/", "main form button[type=submit]", status=400
    ),
    "lead-indicator-kolada-import": FormCase(
        "lead",
        "/uppfoljning/indikatorer/{kolada_indicator}/",
        "section[aria-labelledby=kolada-title] button[type=submit]",
        {"input[name=kolada-first_year]": "2024", "input[name=kolada-last_year]": "2019"},
        status=400,
        after="/uppfoljning/indikatorer/{kolada_indicator}/kolada/",
    ),
    "lead-indicator-link": FormCase(
        "lead",
        "/uppfoljning/indikatorer/{kolada_indicator}/",
        "main form[action$='/koppla/'] button[type=submit]",
        status=400,
        after="/uppfoljning/indikatorer/{kolada_indicator}/koppla/",
    ),
    "lead-initiative-status-stopped-without-learnings": FormCase(
        "lead",
        "/initiativ/{running_initiative}/status/",
        "main form button[type=submit]",
        status=400,
        check=("main form input[name=status][value=stopped]",),
    ),
}


@pytest.mark.parametrize("case", FORM_CASES.values(), ids=FORM_CASES.keys())
def test_form_with_errors_is_accessible(browse: Browse, case: FormCase) -> None:
    """An empty or wrong form comes back with an error summary that has focus, and no WCAG violations."""
    page = browse.as_login(case.login)
    path = browse.path(case.path)
    visit(page, path)
    for selector, value in case.fill.items():
        page.locator(selector).fill(value)
    for selector in case.check:
        page.locator(selector).check()
    click_through(page, page.locator(case.button), status=case.status)
    assert path_of(page) == browse.path(case.after or case.path)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    if case.field_errors:
        expect(page.locator("main [aria-invalid=true]").first).to_be_visible()


def test_survey_answer_with_a_required_question_unanswered_is_accessible(browse: Browse) -> None:
    """A question can be required: left unanswered, it is named in the error summary and marked at the question."""
    from tillit.accounts.models import User
    from tillit.followup import surveys
    from tillit.followup.models import Item
    from tillit.organisation.models import Team

    today = timezone.localdate()
    survey = surveys.survey_create(
        actor=User.objects.get(email=COACH),
        title="Veckans puls",
        team=Team.objects.get(slug=TEAM_NORR.strip("/").split("/")[-1]),
        opens_on=today,
        closes_on=today + datetime.timedelta(days=7),
    )
    required = surveys.item_add(
        actor=survey.created_by,
        survey=survey,
        kind=Item.Kind.SCALE5,
        text="Hur har veckan varit?",
        required=True,
    )
    surveys.item_add(actor=survey.created_by, survey=survey, kind=Item.Kind.TEXT, text="Något mer?")
    surveys.survey_send(actor=survey.created_by, survey=survey)
    page = browse.as_login("anna")
    path = f"/uppfoljning/enkater/{survey.pk}/svara/"
    visit(page, path)
    page.locator("main form textarea").fill("Lugnt.")
    click_through(page, page.locator("main form button[type=submit]"), status=400)
    assert path_of(page) == path
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Hur har veckan varit?")
    expect(page.locator(f"main input[name=item_{required.pk}]").first).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("main form textarea")).to_have_value("Lugnt.")


def test_invitation_form_with_errors_is_accessible(browse: Browse) -> None:
    from tillit.accounts.models import User
    from tillit.accounts.services import invitation_create

    _invitation, token = invitation_create(
        actor=User.objects.get(email=ADMIN),
        email="ny@exempelstad.se",
        full_name="Ny Person",
        base_url=browse.base_url,
    )
    page = browse.as_login("logged-out")
    visit(page, f"/inbjudan/{token}/")
    page.locator("input[name=password1]").fill("kort")
    click_through(page, page.locator("main form button[type=submit]"))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("input[name=password1]")).to_have_attribute("aria-invalid", "true")


def test_account_with_a_new_token_is_accessible(browse: Browse) -> None:
    page = browse.as_login("anna")
    visit(page, "/mitt-konto/")
    page.locator("input[name=name]").fill("Diariet")
    click_through(page, page.locator("section[aria-labelledby=new-token-title] button[type=submit]"))
    expect(page.locator("main .secret")).to_contain_text("tlt_")
    expect(page.locator("main table tbody tr")).to_have_count(1)
