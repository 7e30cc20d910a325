"""The inventory of rules and reporting requirements: registered by the teams and administrations that work under
them, with what each costs in time and how useful those who do the work find it. A proposal to remove or simplify
an item is a proposal in one of the proposer's teams, by the advice process with the rule's owner asked for
advice; when it is decided the item is removed or simplified, and when it is withdrawn the item stays in force.

Reads and totals are in tillit.followup.inventory_selectors."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.core.formats import figure
from tillit.core.history import (
    changes_between,
    label_actions,
    label_values,
    person_of,
    record,
    save_and_record,
    snapshot,
)
from tillit.decisions import services as decisions
from tillit.decisions.models import Decision, Proposal
from tillit.followup.models import Requirement
from tillit.organisation.models import Team, Unit
from tillit.organisation.selectors import unit_descendant_ids

label_values("origin", Requirement.Origin.choices)
label_values("kind", Requirement.Kind.choices)
label_values("status", Requirement.Status.choices)
label_values("change", Requirement.Change.choices)
label_actions(
    {
        "requirement.registered": gettext_lazy("Registered in the inventory"),
        "requirement.changed": gettext_lazy("Changed"),
        "requirement.change_proposed": gettext_lazy("Change proposed"),
        "requirement.removed": gettext_lazy("Removed by decision"),
        "requirement.simplified": gettext_lazy("Simplified by decision"),
        "requirement.kept": gettext_lazy("Proposal withdrawn: stays in force"),
    }
)

# What the people who work under it say about it; the team or unit it belongs to is set when it is registered.
REQUIREMENT_FIELDS = (
    "title",
    "kind",
    "origin",
    "origin_detail",
    "asked_by",
    "used_by",
    "owner",
    "times_per_year",
    "minutes_each_time",
    "usefulness",
)
# The time it takes is the basis of the hours freed, so it is changed only while the item is in force.
TIME_FIELDS = ("times_per_year", "minutes_each_time")
CHANGE_FIELDS = ("status", "change", "proposed_minutes", "proposal")
OUTCOME_FIELDS = ("status", "minutes_each_time", "minutes_before_change", "changed_on")

BELONGS_TO_ONE = gettext_lazy("Say whose it is: one team, or one unit or administration, not both.")
TIMES_REFUSED = gettext_lazy(
    "Say how many times a year it is done: more than zero, e.g. 12 for every month or 0.5 for every other year."
)
MINUTES_REFUSED = gettext_lazy(
    "Say how many minutes it takes each time, for everyone involved together: at least 1."
)
USEFULNESS_REFUSED = gettext_lazy("Say how useful it is, from 1 (not at all) to 5 (very).")
SIMPLIFY_NEEDS_MINUTES = gettext_lazy("Say how many minutes it would take each time once simplified.")


def _check_requirement(requirement: Requirement) -> None:
    errors: dict[str, Any] = {}
    if (requirement.team_id is None) == (requirement.unit_id is None):
        errors["team"] = BELONGS_TO_ONE
    times = requirement.times_per_year
    if times is None or Decimal(times) <= 0:
        errors["times_per_year"] = TIMES_REFUSED
    minutes = requirement.minutes_each_time
    if minutes is None or minutes < 1:
        errors["minutes_each_time"] = MINUTES_REFUSED
    usefulness = requirement.usefulness
    if usefulness is None or not 1 <= usefulness <= 5:
        errors["usefulness"] = USEFULNESS_REFUSED
    if errors:
        raise ValidationError(errors)


def _unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise TypeError(f"Not a requirement field: {', '.join(sorted(unknown))}")


@transaction.atomic
def requirement_register(
    *, actor: Any, team: Team | None = None, unit: Unit | None = None, **fields: Any
) -> Requirement:
    """A rule, guideline, policy or reporting requirement that a team, or a unit or administration, works under."""
    _unknown(fields)
    requirement = Requirement(team=team, unit=unit, created_by=person_of(actor))
    return save_and_record(
        requirement,
        actor=actor,
        action="requirement.registered",
        tracked=(*REQUIREMENT_FIELDS, "team", "unit"),
        fields=fields,
        check=_check_requirement,
    )


def _locked(requirement: Requirement) -> Requirement:
    return Requirement.objects.select_for_update(of=("self",)).get(pk=requirement.pk)


@transaction.atomic
def requirement_update(*, actor: Any, requirement: Requirement, **fields: Any) -> Requirement:
    _unknown(fields)
    requirement = _locked(requirement)
    if requirement.status != Requirement.Status.ACTIVE:
        changed_time = [
            name for name in TIME_FIELDS if name in fields and fields[name] != getattr(requirement, name)
        ]
        if changed_time:
            raise ValidationError(
                {
                    name: _(
                        "The time can be changed only while it is in force without a change proposed or made:"
                        " it is what the hours freed are counted from."
                    )
                    for name in changed_time
                }
            )
    return save_and_record(
        requirement,
        actor=actor,
        action="requirement.changed",
        tracked=REQUIREMENT_FIELDS,
        fields=fields,
        check=_check_requirement,
    )


def units_under(requirement: Requirement) -> set[int]:
    """For an item of a unit: the units whose teams work under it, by id (the unit and every unit below it)."""
    if requirement.unit is None:
        return set()
    return {requirement.unit.pk, *unit_descendant_ids(requirement.unit)}


def works_under(requirement: Requirement, team: Team, units: set[int] | None = None) -> bool:
    """Whether the team works under the item: it is the team's own, or the team is in the unit it belongs to or a
    unit below it. A change to the item is proposed in such a team."""
    if requirement.team_id is not None:
        return team.pk == requirement.team_id
    return team.unit_id in (units if units is not None else units_under(requirement))


def _hours(minutes: Decimal) -> str:
    return figure((minutes / 60).quantize(Decimal("0.1")))


def _background(requirement: Requirement, change: str, proposed_minutes: int | None, reason: str) -> str:
    """The proposal's text: the reason in the proposer's words, then the facts the advisers need."""
    times = requirement.times_per_year
    now = times * requirement.minutes_each_time
    facts = _(
        "Today: %(times)s times a year, %(minutes)s minutes each time, about %(hours)s hours a year."
        " Where it comes from: %(origin)s. Asked for by: %(asked_by)s."
    ) % {
        "times": figure(times),
        "minutes": requirement.minutes_each_time,
        "hours": _hours(now),
        "origin": requirement.get_origin_display(),
        "asked_by": requirement.asked_by,
    }
    if change == Requirement.Change.SIMPLIFY and proposed_minutes is not None:
        after = times * proposed_minutes
        outcome = _(
            "Simplified: %(minutes)s minutes each time, about %(hours)s hours a year; %(freed)s hours a year freed."
        ) % {"minutes": proposed_minutes, "hours": _hours(after), "freed": _hours(now - after)}
    else:
        outcome = _("Removed: about %(freed)s hours a year freed.") % {"freed": _hours(now)}
    note = _(
        "When the proposal is decided, the inventory of rules records the change; if the answer is to keep it as"
        " it is, withdraw the proposal. The item in the inventory: %(url)s"
    ) % {"url": requirement.get_absolute_url()}
    return "\n\n".join([reason, f"{facts} {outcome}", note])


@transaction.atomic
def requirement_propose_change(
    *,
    actor: Any,
    requirement: Requirement,
    change: str,
    reason: str,
    in_team: Team,
    deadline: datetime.datetime,
    proposed_minutes: int | None = None,
) -> Proposal:
    """Proposes to remove or simplify the item: a proposal in one of the proposer's teams that work under it, by
    the advice process, with the owner of the rule asked for advice. The item waits for the outcome."""
    requirement = _locked(requirement)
    if requirement.status == Requirement.Status.PROPOSED:
        raise ValidationError(
            _("A change to this is already proposed; wait for that proposal to be decided.")
        )
    if requirement.status == Requirement.Status.REMOVED:
        raise ValidationError(_("This has already been removed."))
    errors: dict[str, Any] = {}
    if change not in Requirement.Change.values:
        errors["change"] = _("Choose whether to remove it or simplify it.")
    if change == Requirement.Change.SIMPLIFY:
        if proposed_minutes is None:
            errors["proposed_minutes"] = SIMPLIFY_NEEDS_MINUTES
        elif not 1 <= proposed_minutes < requirement.minutes_each_time:
            errors["proposed_minutes"] = _(
                "A simplification takes less time: give fewer minutes than today's %(minutes)s, at least 1."
            ) % {"minutes": requirement.minutes_each_time}
    else:
        proposed_minutes = None
    reason = reason.strip()
    if not reason:
        errors["reason"] = _("Say why: what it costs, what it gives, and what would be lost without it.")
    if not works_under(requirement, in_team):
        errors["in_team"] = (
            _("A team's own rule is changed in the team: propose it in %(team)s.")
            % {"team": requirement.team}
            if requirement.team_id is not None
            else _("Propose it in a team that works under it: a team in %(unit)s.")
            % {"unit": requirement.unit}
        )
    if errors:
        raise ValidationError(errors)
    title = (_("Remove: %(title)s") if change == Requirement.Change.REMOVE else _("Simplify: %(title)s")) % {
        "title": requirement.title
    }
    owner = requirement.owner
    advisers = [owner] if owner is not None and owner.is_active and owner.pk != actor.pk else []
    proposal = decisions.proposal_create(
        actor=actor,
        team=in_team,
        title=Truncator(title).chars(200),
        background=_background(requirement, change, proposed_minutes, reason),
        process=Proposal.Process.ADVICE,
        deadline=deadline,
        advisers=advisers,
    )
    save_and_record(
        requirement,
        actor=actor,
        action="requirement.change_proposed",
        tracked=CHANGE_FIELDS,
        fields={
            "status": Requirement.Status.PROPOSED,
            "change": change,
            "proposed_minutes": proposed_minutes,
            "proposal": proposal,
        },
    )
    return proposal


def _apply(actor: Any, requirement: Requirement, decision: Decision) -> None:
    """The decided change: the time before it is kept (the first time before, when it was simplified earlier) so
    that the hours freed add up over changes."""
    before = snapshot(requirement, OUTCOME_FIELDS)
    if requirement.minutes_before_change is None:
        requirement.minutes_before_change = requirement.minutes_each_time
    if requirement.change == Requirement.Change.SIMPLIFY and requirement.proposed_minutes is not None:
        requirement.status = Requirement.Status.SIMPLIFIED
        requirement.minutes_each_time = requirement.proposed_minutes
        action = "requirement.simplified"
    else:
        requirement.status = Requirement.Status.REMOVED
        action = "requirement.removed"
    requirement.changed_on = decision.decided_on
    requirement.full_clean()
    requirement.save()
    changes: dict[str, Any] = changes_between(before, snapshot(requirement, OUTCOME_FIELDS))
    changes["decision"] = decision.reference
    record(actor=actor, obj=requirement, action=action, changes=changes)


def _keep(actor: Any, requirement: Requirement) -> None:
    """Back in force as it was: simplified if an earlier decision simplified it."""
    status = (
        Requirement.Status.ACTIVE
        if requirement.minutes_before_change is None
        else Requirement.Status.SIMPLIFIED
    )
    save_and_record(
        requirement,
        actor=actor,
        action="requirement.kept",
        tracked=("status", "change", "proposed_minutes"),
        fields={"status": status, "change": "", "proposed_minutes": None},
    )


@receiver(decisions.proposal_closed, dispatch_uid="followup.inventory.proposal_closed")
def _on_proposal_closed(
    sender: Any, *, proposal: Proposal, decision: Decision | None, actor: Any, **kwargs: Any
) -> None:
    waiting = Requirement.objects.select_for_update(of=("self",)).filter(
        proposal=proposal, status=Requirement.Status.PROPOSED
    )
    for requirement in waiting:
        if decision is None:
            _keep(actor, requirement)
        else:
            _apply(actor, requirement, decision)
