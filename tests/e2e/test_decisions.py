"""A decision under a mandate as the team makes it: proposal, responses, an objection, an amendment, the
named delegate's decision, the register and the report to the committee; and what the law refuses."""

import datetime
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN, ANNA, TEAM_NORR, click_through, login, logout, path_of, visit

MANDATES = "/delegationsordning/"


def _people() -> dict[str, Any]:
    from tillit.accounts.models import User
    from tillit.organisation.models import Membership, Team

    team = Team.objects.get(slug=TEAM_NORR.strip("/").split("/")[-1])
    members = [
        m.person
        for m in team.memberships.filter(role=Membership.Role.MEMBER)
        .select_related("person")
        .order_by("person__full_name")
    ]
    anna = User.objects.get(email=ANNA)
    bo, cia, dan = [person for person in members if person != anna][:3]
    for person in (bo, cia, dan):
        person.set_password("ett-bra-lösenord-2026")
        person.save()
    return {"team": team, "anna": anna, "bo": bo, "cia": cia, "dan": dan}


def _login_as(page: Page, person: Any) -> None:
    login(page, person.email, "ett-bra-lösenord-2026")


def test_a_decision_under_a_mandate_from_proposal_to_the_committee(page: Page, exempelstad: Any) -> None:
    from tillit.decisions.models import Committee, Decision, Mandate
    from tillit.organisation.models import Unit

    people = _people()
    team, _anna, bo, cia, dan = (people[k] for k in ("team", "anna", "bo", "cia", "dan"))
    Committee.objects.get_or_create(name="Socialnämnden", unit=Unit.objects.get(name="Socialförvaltningen"))
    matter = "Inköp av hjälpmedel för hembesök"

    # The administrator records the delegation order; the law refuses a group and a matter kept by the committee.
    login(page, ADMIN)
    visit(page, MANDATES)
    click_through(page, page.locator(f'main a[href="{MANDATES}ny/"]'))
    form = page.locator("main form")
    form.locator("[name=committee]").select_option(label="Socialnämnden")
    form.locator("[name=unit]").select_option(label=team.unit.name)
    form.locator("[name=team]").select_option(label=team.name)
    form.locator("[name=number]").fill("3.2")
    form.locator("[name=matter]").fill(matter)
    form.locator("[name=category]").select_option("purchase")
    form.locator("[name=kind][value=delegated]").check()
    form.locator("[name=basis_reference]").fill("SN 2026-02-12 § 14")
    form.locator("[name=decider][value=team]").check()
    form.locator("[name=delegate_role]").fill("Budgetansvarig i teamet")
    form.locator("[name=amount_limit]").fill("50000")
    click_through(page, form.locator("button[type=submit]"), status=400)
    expect(page.locator(".error-summary")).to_contain_text("6 kap. 37 § KL")
    expect(page.locator("[name=matter]")).to_have_value(matter)

    form.locator("[name=decider][value=person]").check()
    form.locator("[name=delegate]").select_option(label=cia.full_name)
    form.locator("[name=deputy]").select_option(label=dan.full_name)
    form.locator("[name=category]").select_option("goals")
    click_through(page, form.locator("button[type=submit]"), status=400)
    expect(page.locator(".error-summary")).to_contain_text("6 kap. 38 § KL")
    assert not Mandate.objects.filter(matter=matter).exists()

    form.locator("[name=category]").select_option("purchase")
    click_through(page, form.locator("button[type=submit]"))
    mandate = Mandate.objects.get(matter=matter)
    assert path_of(page) == mandate.get_absolute_url()
    expect(page.locator("main")).to_contain_text(cia.full_name)
    logout(page)

    # Anna proposes under the mandate, from the team's page.
    login(page, ANNA)
    visit(page, TEAM_NORR)
    click_through(page, page.locator(f'main a[href="{TEAM_NORR}forslag/nytt/"]'))
    form = page.locator("main form")
    form.locator("[name=title]").fill("Surfplattor till hembesöken")
    form.locator("[name=background]").fill("Vi antecknar på papper och skriver av allt på kontoret.")
    form.locator("[name=mandate]").select_option(str(mandate.pk))
    form.locator("[name=amount]").fill("36000")
    form.locator("[name=process][value=consent]").check()
    click_through(page, form.locator("button[type=submit]"))
    proposal_url = path_of(page)
    expect(page.locator("main h1")).to_have_text("Surfplattor till hembesöken")
    logout(page)

    # Two members respond; an objection without a reason is sent back, with one it stands.
    _login_as(page, bo)
    visit(page, proposal_url)
    page.locator("[name=position][value=consent]").check()
    click_through(page, page.locator("section[aria-labelledby=respond-title] button[type=submit]"))
    logout(page)
    _login_as(page, dan)
    visit(page, proposal_url)
    page.locator("[name=position][value=object]").check()
    click_through(
        page, page.locator("section[aria-labelledby=respond-title] button[type=submit]"), status=400
    )
    expect(page.locator(".error-summary")).to_be_visible()
    page.locator("[name=position][value=object]").check()
    page.locator("textarea[name=reason]").fill("Utan skyddsfodral går de sönder i bilen.")
    click_through(page, page.locator("section[aria-labelledby=respond-title] button[type=submit]"))
    expect(page.locator(".responses")).to_contain_text("Utan skyddsfodral går de sönder i bilen.")
    logout(page)

    # The delegate cannot decide while the objection stands.
    _login_as(page, cia)
    visit(page, proposal_url)
    expect(page.locator("section[aria-labelledby=decide-title] form")).to_have_count(0)
    logout(page)

    # Anna amends the proposal; the objection no longer stands against the new version.
    login(page, ANNA)
    visit(page, proposal_url)
    click_through(page, page.locator(f'main a[href="{proposal_url}andra/"]'))
    page.locator("textarea[name=background]").fill("Vi köper surfplattor med skyddsfodral.")
    page.locator("textarea[name=reason]").fill("Skyddsfodral ingår nu.")
    click_through(page, page.locator("main form button[type=submit]"))
    expect(page.locator("main")).to_contain_text("Vi köper surfplattor med skyddsfodral.")
    logout(page)

    # The named delegate decides; the record names her.
    _login_as(page, cia)
    visit(page, proposal_url)
    decide = page.locator("section[aria-labelledby=decide-title] form")
    decide.locator("[name=outcome]").fill("Vi köper sex surfplattor med skyddsfodral.")
    review = timezone.localdate() + datetime.timedelta(days=90)
    decide.locator("[name=review_on]").fill(review.isoformat())
    click_through(page, decide.locator("button[type=submit]"))
    decision = Decision.objects.get(proposal__title="Surfplattor till hembesöken", mandate=mandate)
    assert path_of(page) == decision.get_absolute_url()
    expect(page.locator("main")).to_contain_text(cia.full_name)
    expect(page.locator("main")).to_contain_text("Utan skyddsfodral går de sönder i bilen.")

    # It is in the register, and in the report to the committee.
    click_through(page, page.locator('header nav a[href="/beslut/"]'))
    expect(page.locator("main table")).to_contain_text("Surfplattor till hembesöken")
    logout(page)
    login(page, ADMIN)
    today = timezone.localdate()
    visit(page, "/delegationsbeslut/")
    form = page.locator("main form.filter-form")
    form.locator("[name=committee]").select_option(label="Socialnämnden")
    form.locator("[name=start]").fill(today.replace(day=1).isoformat())
    form.locator("[name=end]").fill(today.isoformat())
    click_through(page, form.locator("button[type=submit]"))
    expect(page.locator("main table")).to_contain_text("Vi köper sex surfplattor med skyddsfodral.")
    expect(page.locator("main table")).to_contain_text("SN 2026-02-12 § 14")
    click_through(page, page.locator("section[aria-labelledby=mark-title] button[type=submit]"))
    decision.refresh_from_db()
    assert decision.report is not None and decision.report.reported_on == today
    visit(
        page,
        f"/delegationsbeslut/?committee={mandate.committee_id}&start={today.replace(day=1)}&end={today}&print=1",
    )
    expect(page.locator("main table")).to_contain_text(decision.reference)


def test_a_member_with_a_declared_conflict_cannot_decide(page: Page, exempelstad: Any) -> None:
    from tillit.decisions import services
    from tillit.decisions.models import Committee, Decision

    people = _people()
    team, anna, cia, dan = (people[k] for k in ("team", "anna", "cia", "dan"))
    committee = Committee.objects.get(name="Socialnämnden")
    mandate = services.mandate_create(
        actor=None,
        delegate=cia,
        deputy=dan,
        committee=committee,
        unit=team.unit,
        team=team,
        matter="Inköp av hjälpmedel",
        category="purchase",
        kind="delegated",
        delegate_role="Budgetansvarig i teamet",
    )
    proposal = services.proposal_create(
        actor=anna,
        team=team,
        title="Nya stolar",
        background="Stolarna i mötesrummet är trasiga.",
        mandate=mandate,
        process="advice",
        deadline=timezone.now() + datetime.timedelta(days=5),
    )
    _login_as(page, cia)
    visit(page, proposal.get_absolute_url())
    expect(page.locator("section[aria-labelledby=decide-title] form")).to_have_count(1)
    page.locator("main details summary").filter(has_text="jäv").click()
    page.locator("[name=reason]").last.fill("Min bror säljer stolarna.")
    click_through(page, page.locator("main details form button[type=submit]"))
    expect(page.locator("main")).to_contain_text("Min bror säljer stolarna.")
    expect(page.locator("section[aria-labelledby=decide-title]")).to_have_count(0)
    response = page.request.post(
        f"{proposal.get_absolute_url()}besluta/",
        form={
            "outcome": "Ja",
            "csrfmiddlewaretoken": page.locator("[name=csrfmiddlewaretoken]").first.input_value(),
        },
    )
    assert response.status == 403
    assert not Decision.objects.filter(proposal=proposal).exists()
    logout(page)
    # The deputy decides in her place, and the record says so.
    _login_as(page, dan)
    visit(page, proposal.get_absolute_url())
    decide = page.locator("section[aria-labelledby=decide-title] form")
    decide.locator("[name=outcome]").fill("Vi köper sex stolar.")
    click_through(page, decide.locator("button[type=submit]"))
    assert Decision.objects.get(proposal=proposal).as_deputy
