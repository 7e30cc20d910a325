"""Who may see and do what with mandates, proposals and decisions. The grids are in tests/decisions/test_rules.py.

The delegation order and the decision register are public records, open to everyone with an account; a
proposal is the team's working material until it is decided, so it is for the team, its coaches, whoever
decides it and anyone asked for advice."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from tillit.decisions.models import Conflict, Decision, Mandate, Proposal, Response
from tillit.organisation.models import Membership
from tillit.organisation.rules import is_active_person, is_administrator, is_team_coach, is_team_member


@predicate
def is_proposal_member(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and is_team_member(user, proposal.team)


@predicate
def is_proposal_coach(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and is_team_coach(user, proposal.team)


@predicate
def is_proposer(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and is_active_person(user) and proposal.created_by_id == user.pk


@predicate
def decides_under_mandate(user: Any, proposal: Proposal | None) -> bool:
    mandate = proposal.mandate if proposal is not None else None
    return (
        mandate is not None and is_active_person(user) and user.pk in (mandate.delegate_id, mandate.deputy_id)
    )


@predicate
def is_adviser(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and is_active_person(user) and proposal.advisers.filter(pk=user.pk).exists()


@predicate
def has_responded(user: Any, proposal: Proposal | None) -> bool:
    return (
        proposal is not None
        and is_active_person(user)
        and Response.objects.filter(proposal=proposal, person=user).exists()
    )


@predicate
def is_open(_user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.is_open


@predicate
def is_advice_process(_user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.process == Proposal.Process.ADVICE


@predicate
def has_conflict(user: Any, proposal: Proposal | None) -> bool:
    return (
        proposal is not None
        and is_active_person(user)
        and Conflict.objects.filter(proposal=proposal, person=user).exists()
    )


@predicate
def is_mandate_change(_user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.mandate_change is not None


@predicate
def may_decide(user: Any, proposal: Proposal | None) -> bool:
    from tillit.decisions.services import deciders

    return proposal is not None and is_active_person(user) and user in deciders(proposal)[0]


@predicate
def may_amend_decision(user: Any, decision: Decision | None) -> bool:
    """The newest version of a decision is amended by whoever may decide the matter now, without jäv."""
    from tillit.decisions.services import deciders

    return (
        decision is not None
        and is_active_person(user)
        and not Decision.objects.filter(replaces=decision).exists()
        and user in deciders(decision.proposal)[0]
        and not Conflict.objects.filter(proposal=decision.proposal, person=user).exists()
    )


@predicate
def may_propose_mandate_change(user: Any, mandate: Mandate | None) -> bool:
    """A mandate in force; the change is proposed in one of the person's teams."""
    return (
        mandate is not None
        and mandate.active
        and is_active_person(user)
        and Membership.objects.filter(person=user, role=Membership.Role.MEMBER).exists()
    )


can_view_proposal = (
    is_administrator
    | is_proposal_member
    | is_proposal_coach
    | decides_under_mandate
    | is_adviser
    | has_responded
)

add_perm("decisions.view_mandates", is_active_person)
add_perm("decisions.manage_mandates", is_administrator)
add_perm("decisions.view_register", is_active_person)
add_perm("decisions.report", is_administrator)
add_perm("decisions.propose", is_team_member)
add_perm("decisions.view_proposal", can_view_proposal)
# The advice process asks the people affected and those with expertise, inside the team or not.
add_perm(
    "decisions.respond",
    is_open & ~has_conflict & (is_proposal_member | (is_advice_process & can_view_proposal)),
)
add_perm("decisions.amend", is_open & is_proposer)
add_perm("decisions.withdraw", is_open & is_proposer)
add_perm("decisions.declare_conflict", is_open & can_view_proposal & ~has_conflict)
add_perm("decisions.decide", is_open & ~has_conflict & may_decide)
add_perm("decisions.amend_decision", may_amend_decision)
add_perm("decisions.propose_mandate_change", may_propose_mandate_change)
