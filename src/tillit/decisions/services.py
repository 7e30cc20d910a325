"""Every change to mandates, proposals and decisions: checked against the law of delegation and jäv, in a
transaction, with history. Views and the API check who may ask; these functions check what may happen."""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.accounts.models import User
from tillit.core.history import label_actions, label_values, record, save_and_record, snapshot
from tillit.decisions.models import (
    MANDATE_CONTENT as MANDATE_CONTENT,
)
from tillit.decisions.models import (
    MAX_SCORE,
    NON_DELEGABLE,
    PROCESS_POSITIONS,
    Committee,
    CommitteeReport,
    Conflict,
    Decision,
    Mandate,
    MandateVersion,
    Proposal,
    ProposalVersion,
    Response,
)
from tillit.notifications.models import Kind
from tillit.notifications.services import notify
from tillit.organisation.models import Membership, Team, Unit
from tillit.organisation.selectors import is_member, unit_ancestors

label_values("process", Proposal.Process.choices)
label_values("kind", Mandate.Kind.choices)
label_values("category", Mandate.Category.choices)
label_values("position", Response.Position.choices)
label_actions(
    {
        "committee.created": gettext_lazy("Committee created"),
        "mandate.created": gettext_lazy("Mandate added to the delegation order"),
        "mandate.changed": gettext_lazy("Mandate changed by decision"),
        "mandate.ended": gettext_lazy("Mandate ended"),
        "proposal.created": gettext_lazy("Proposal made"),
        "proposal.amended": gettext_lazy("Proposal amended"),
        "proposal.responded": gettext_lazy("Response given"),
        "proposal.withdrawn": gettext_lazy("Proposal withdrawn"),
        "proposal.conflict_declared": gettext_lazy("Conflict of interest declared"),
        "decision.made": gettext_lazy("Decision made"),
        "decision.amended": gettext_lazy("Decision amended by a new version"),
        "report.made": gettext_lazy("Delegated decisions reported to the committee"),
    }
)

# 6 kap. 37 § KL: a committee delegates to a named individual (or a committee of its own), never to a group.
GROUP_REFUSED = gettext_lazy(
    "A committee can delegate a decision only to a named person, never to a group (6 kap. 37 § KL). Name the"
    " person, in the role they decide in; the team prepares the decision by advice or consent, and matters"
    " the team settles itself need no mandate: propose them as a team agreement."
)
NON_DELEGABLE_REFUSED = gettext_lazy(
    "This matter may not be delegated (6 kap. 38 § KL): the committee must decide it itself. That holds for"
    " the goals, direction, scope or quality of the activity; submissions and statements to the council;"
    " exercise of public authority over individuals in matters of principle or otherwise of greater"
    " importance; citizens' proposals referred to the committee; and matters that a special law names."
    " The team can still prepare such a matter and propose it to the committee."
)
# Words that show a matter is one that 6 kap. 38 § KL keeps with the committee, whatever kind was chosen.
_NON_DELEGABLE_WORDS = re.compile(
    r"\b(mål och inriktning|mål eller inriktning|verksamhetens (mål|inriktning|omfattning|kvalitet)"
    r"|yttrande till (kommun)?fullmäktige|framställning till (kommun)?fullmäktige|medborgarförslag"
    r"|goals and direction|direction, scope or quality|statement to the council|citizens' proposal)",
    re.IGNORECASE,
)
_GROUP_WORDS = re.compile(
    r"^\s*(hela\s+)?(teamet|gruppen|arbetsgruppen|arbetslaget|the team|the group)\b", re.I
)

PROPOSAL_FIELDS = ("title", "background", "options", "mandate", "amount", "process", "deadline")


# What a decision does beyond being recorded, by the kind in its proposal's `effect`: another app registers a
# handler (the teams app: who takes a role), called in the decision's transaction.
EFFECTS: dict[str, Callable[[Any, Proposal, Decision], None]] = {}


def register_effect(kind: str, handler: Callable[[Any, Proposal, Decision], None]) -> None:
    EFFECTS[kind] = handler


# Sent when a proposal closes, inside its transaction, with `proposal`, `decision` (None when it was withdrawn)
# and `actor`: other apps follow the outcome of proposals they made (the inventory of rules: a rule proposed
# for removal is removed once the proposal is decided, and stays in force if it is withdrawn).
proposal_closed = Signal()


def _check_mandate(mandate: Mandate) -> None:
    if mandate.category in NON_DELEGABLE or _NON_DELEGABLE_WORDS.search(mandate.matter or ""):
        raise ValidationError({"category": NON_DELEGABLE_REFUSED})
    if _GROUP_WORDS.search(mandate.delegate_role or ""):
        raise ValidationError({"delegate_role": GROUP_REFUSED})
    if not mandate.delegate.is_active:
        raise ValidationError({"delegate": _("The delegate's account is not active; name someone else.")})
    if mandate.deputy_id is not None and mandate.deputy_id == mandate.delegate_id:
        raise ValidationError({"deputy": _("The deputy must be someone other than the delegate.")})
    if mandate.team is not None and mandate.team.unit_id != mandate.unit_id:
        mandate.unit = mandate.team.unit
    if bool(mandate.further_delegated_by_id) != bool(mandate.further_delegated_on):
        raise ValidationError(
            {"further_delegated_on": _("Give both who passed the matter on and when, or neither.")}
        )
    if mandate.amount_limit is not None and mandate.amount_limit <= 0:
        raise ValidationError({"amount_limit": _("The highest amount must be more than zero.")})


def _attname(name: str) -> str:
    field = Mandate._meta.get_field(name)
    return str(getattr(field, "attname", name))


def mandate_content(mandate: Mandate) -> dict[str, Any]:
    """The mandate's content as plain values (ids for relations), the way a version or a proposal keeps it."""
    content: dict[str, Any] = {}
    for name in MANDATE_CONTENT:
        attname = _attname(name)
        value = getattr(mandate, attname)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        content[attname] = value
    return content


def _readable(mandate: Mandate) -> dict[str, Any]:
    return snapshot(mandate, MANDATE_CONTENT)


@transaction.atomic
def committee_create(*, actor: Any, name: str, unit: Unit | None = None) -> Committee:
    committee = Committee(name=name, unit=unit)
    return save_and_record(committee, actor=actor, action="committee.created", tracked=("name", "unit"))


@transaction.atomic
def mandate_create(*, actor: Any, delegate: Any, **fields: Any) -> Mandate:
    """Adds a line to the delegation order as the committee decided it."""
    if not isinstance(delegate, User):
        raise ValidationError({"delegate": GROUP_REFUSED})
    mandate = save_and_record(
        Mandate(delegate=delegate),
        actor=actor,
        action="mandate.created",
        tracked=MANDATE_CONTENT,
        fields=fields,
        check=_check_mandate,
    )
    MandateVersion.objects.create(
        mandate=mandate, number=1, content=mandate_content(mandate), created_by=actor
    )
    return mandate


@transaction.atomic
def mandate_end(*, actor: Any, mandate: Mandate) -> Mandate:
    if mandate.active:
        mandate.active = False
        mandate.save(update_fields=["active"])
        record(actor=actor, obj=mandate, action="mandate.ended")
    return mandate


def _mandate_from_content(mandate: Mandate, content: dict[str, Any]) -> Mandate:
    changed = Mandate.objects.get(pk=mandate.pk)
    for attname, value in content.items():
        setattr(changed, attname, value)
    return changed


@transaction.atomic
def mandate_change_propose(
    *,
    actor: Any,
    mandate: Mandate,
    in_team: Team,
    background: str,
    deadline: datetime.datetime,
    **fields: Any,
) -> Proposal:
    """Changing a mandate is itself a proposal: the team consents, then someone who keeps the delegation order
    decides, and only then does the mandate change (as a new version)."""
    if not mandate.active:
        raise ValidationError(_("This mandate is no longer in force."))
    delegate = fields.get("delegate", mandate.delegate)
    if not isinstance(delegate, User):
        raise ValidationError({"delegate": GROUP_REFUSED})
    changed = Mandate.objects.get(pk=mandate.pk)
    for name, value in fields.items():
        setattr(changed, name, value)
    _check_mandate(changed)
    changed.full_clean()
    content = mandate_content(changed)
    if content == mandate_content(mandate):
        raise ValidationError(_("Nothing would change: change at least one thing in the mandate."))
    proposal = Proposal(
        team=in_team,
        title=_("Change the mandate: %(matter)s") % {"matter": mandate.matter},
        background=background,
        mandate=mandate,
        mandate_change=content,
        process=Proposal.Process.CONSENT,
        deadline=deadline,
        created_by=actor,
    )
    return save_and_record(
        proposal, actor=actor, action="proposal.created", tracked=PROPOSAL_FIELDS, check=_check_proposal
    )


def _team_mandate(mandate: Mandate, team: Team) -> bool:
    if mandate.team_id is not None:
        return mandate.team_id == team.pk
    return mandate.unit_id in {unit.pk for unit in [*unit_ancestors(team.unit), team.unit]}


def _check_proposal(proposal: Proposal) -> None:
    if proposal.deadline is not None and proposal.deadline <= timezone.now() and proposal.is_open:
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    mandate = proposal.mandate
    if mandate is not None:
        if not mandate.active:
            raise ValidationError({"mandate": _("This mandate is no longer in force.")})
        if not _team_mandate(mandate, proposal.team):
            raise ValidationError({"mandate": _("This mandate is not one of the team's.")})
        if (
            proposal.mandate_change is None
            and mandate.amount_limit is not None
            and proposal.amount is not None
            and proposal.amount > mandate.amount_limit
        ):
            raise ValidationError(
                {
                    "amount": _(
                        "The amount is above the mandate's limit of %(limit)s kronor: the matter must go to"
                        " whoever may decide larger amounts."
                    )
                    % {"limit": number_format(mandate.amount_limit, 0, force_grouping=True)}
                }
            )
    if proposal.amount is not None and proposal.amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    if proposal.process == Proposal.Process.VOTE and len(proposal.option_list) == 1:
        raise ValidationError({"options": _("Give at least two options, or none.")})


@transaction.atomic
def proposal_create(*, actor: Any, team: Team, **fields: Any) -> Proposal:
    if not is_member(actor, team):
        raise ValidationError(_("Only the team's members can make proposals in the team."))
    advisers = fields.pop("advisers", None)
    proposal = Proposal(team=team, created_by=actor)
    save_and_record(
        proposal,
        actor=actor,
        action="proposal.created",
        tracked=PROPOSAL_FIELDS,
        fields=fields,
        check=_check_proposal,
    )
    if advisers:
        proposal.advisers.set(advisers)
    _tell_about(proposal, actor)
    return proposal


def _tell_about(proposal: Proposal, actor: Any) -> None:
    """Everyone the proposal waits for: the team's members, those asked for advice, and whoever decides it."""
    members = User.objects.filter(memberships__team=proposal.team, memberships__role=Membership.Role.MEMBER)
    people = [*members, *proposal.advisers.all()]
    if proposal.mandate is not None:
        people.append(proposal.mandate.delegate)
    notify(
        [person for person in people if person.pk != actor.pk],
        Kind.PROPOSAL,
        _("New proposal in %(team)s: %(title)s") % {"team": proposal.team, "title": proposal.title},
        proposal.get_absolute_url(),
        f"proposal:{proposal.pk}",
    )


def _locked(proposal: Proposal) -> Proposal:
    """The proposal as it is now, locked for this transaction: one change at a time."""
    locked = (
        Proposal.objects.select_for_update(of=("self",)).select_related("mandate", "team").get(pk=proposal.pk)
    )
    if not locked.is_open:
        raise ValidationError(_("The proposal is no longer open."))
    return locked


def _has_conflict(proposal: Proposal, person: Any) -> bool:
    return Conflict.objects.filter(proposal=proposal, person=person).exists()


@transaction.atomic
def proposal_amend(*, actor: Any, proposal: Proposal, reason: str, **fields: Any) -> Proposal:
    """A new version of the proposal. Responses to earlier versions stay in the record; an objection no longer
    stands against the new version, and those who objected are asked to look again."""
    proposal = _locked(proposal)
    if proposal.created_by_id != actor.pk:
        raise ValidationError(_("Only the person who made the proposal can amend it."))
    advisers = fields.pop("advisers", None)
    if advisers is not None:
        proposal.advisers.set(advisers)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what you changed and why, so that everyone can follow.")})
    before = ProposalVersion(
        proposal=proposal,
        number=proposal.version,
        title=proposal.title,
        background=proposal.background,
        options=proposal.options,
        amount=proposal.amount,
        reason=reason,
        created_by=actor,
    )
    if all(getattr(proposal, name) == value for name, value in fields.items()):
        raise ValidationError(_("Nothing has changed: change the proposal before saving a new version."))
    before.full_clean()
    before.save()
    return save_and_record(
        proposal,
        actor=actor,
        action="proposal.amended",
        tracked=(*PROPOSAL_FIELDS, "version"),
        fields={**fields, "version": proposal.version + 1},
        check=_check_proposal,
    )


@transaction.atomic
def proposal_respond(
    *,
    actor: Any,
    proposal: Proposal,
    position: str,
    reason: str = "",
    option: str = "",
    scores: dict[str, int] | None = None,
) -> Response:
    proposal = _locked(proposal)
    if proposal.deadline <= timezone.now():
        raise ValidationError(_("The deadline has passed; responses are closed."))
    if _has_conflict(proposal, actor):
        raise ValidationError(
            _("You have declared a conflict of interest in this matter, so you cannot respond.")
        )
    if position not in PROCESS_POSITIONS[proposal.process]:
        raise ValidationError({"position": _("Choose one of the responses this process has.")})
    reason = reason.strip()
    if position in (Response.Position.OBJECT, Response.Position.BLOCK) and not reason:
        raise ValidationError(
            {"reason": _("An objection must give its reason, so that the proposal can be amended.")}
        )
    if position == Response.Position.ADVICE and not reason:
        raise ValidationError({"reason": _("Write your advice.")})
    if option and option not in proposal.option_list:
        raise ValidationError({"option": _("Choose one of the proposal's options.")})
    scores = scores or {}
    if any(o not in proposal.option_list or not 0 <= v <= MAX_SCORE for o, v in scores.items()):
        raise ValidationError(_("Give each option a score from 0 to %(max)s.") % {"max": MAX_SCORE})
    Response.objects.filter(proposal=proposal, person=actor, current=True).update(current=False)
    response = Response(
        proposal=proposal,
        person=actor,
        version=proposal.version,
        position=position,
        reason=reason,
        option=option,
        scores=scores,
    )
    response.full_clean()
    response.save()
    record(
        actor=actor,
        obj=proposal,
        action="proposal.responded",
        changes={"position": position, "version": proposal.version},
    )
    return response


@transaction.atomic
def conflict_declare(*, actor: Any, proposal: Proposal, reason: str) -> Conflict:
    """Anyone declares their own conflict of interest in a matter; from then on they neither respond nor decide."""
    proposal = _locked(proposal)
    if not reason.strip():
        raise ValidationError({"reason": _("Say briefly why you have a conflict of interest.")})
    if _has_conflict(proposal, actor):
        raise ValidationError(_("You have already declared a conflict of interest in this matter."))
    conflict = Conflict(proposal=proposal, person=actor, declared_by=actor, reason=reason.strip())
    conflict.full_clean()
    conflict.save()
    Response.objects.filter(proposal=proposal, person=actor, current=True).update(current=False)
    record(actor=actor, obj=proposal, action="proposal.conflict_declared", changes={"person": str(actor)})
    return conflict


@transaction.atomic
def proposal_withdraw(*, actor: Any, proposal: Proposal) -> Proposal:
    proposal = _locked(proposal)
    if proposal.created_by_id != actor.pk:
        raise ValidationError(_("Only the person who made the proposal can withdraw it."))
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status"])
    record(actor=actor, obj=proposal, action="proposal.withdrawn")
    proposal_closed.send(sender=Proposal, proposal=proposal, decision=None, actor=actor)
    return proposal


def standing_objections(proposal: Proposal) -> list[Response]:
    """Reasoned objections and blocks against the proposal as it reads now."""
    return list(
        proposal.responses.filter(
            current=True,
            version=proposal.version,
            position__in=[Response.Position.OBJECT, Response.Position.BLOCK],
        ).select_related("person")
    )


def deciders(proposal: Proposal) -> tuple[list[User], str]:
    """Who may decide the proposal, and in which capacity, as the record will say it."""
    if proposal.mandate_change is not None:
        from tillit.organisation.models import RoleAssignment

        admins = User.objects.filter(
            is_active=True, role_assignments__role=RoleAssignment.Role.ADMINISTRATOR
        ).distinct()
        return list(admins), _("whoever keeps the delegation order")
    if proposal.mandate is not None:
        mandate = proposal.mandate
        people = [mandate.delegate]
        if mandate.deputy is not None and _has_conflict(proposal, mandate.delegate):
            people = [mandate.deputy]
        return people, mandate.delegate_role
    if proposal.process == Proposal.Process.ADVICE:
        return [proposal.created_by], _("the proposer, after seeking advice")
    return list(
        User.objects.filter(
            memberships__team=proposal.team, memberships__role=Membership.Role.MEMBER, is_active=True
        )
    ), _("the team together")


def _next_number(year: int) -> str:
    prefix = f"{year}-"
    last = Decision.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    return f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:04d}"


@transaction.atomic
def proposal_decide(
    *,
    actor: Any,
    proposal: Proposal,
    outcome: str,
    review_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
) -> Decision:
    proposal = _locked(proposal)
    decided_on = decided_on or timezone.localdate()
    if _has_conflict(proposal, actor):
        raise ValidationError(
            _("You have declared a conflict of interest in this matter, so you cannot decide it.")
        )
    people, capacity = deciders(proposal)
    if actor not in people:
        names = ", ".join(str(person) for person in people) or _("no one")
        raise ValidationError(
            _("This matter is decided by %(who)s (%(capacity)s).") % {"who": names, "capacity": capacity}
        )
    if proposal.process in (Proposal.Process.CONSENT, Proposal.Process.VOTE) and standing_objections(
        proposal
    ):
        raise ValidationError(
            _(
                "A reasoned objection still stands against the proposal as it reads now. Amend the proposal"
                " until no reasoned objection remains, or withdraw it."
            )
        )
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write what was decided.")})
    if review_on is not None and review_on <= decided_on:
        raise ValidationError({"review_on": _("The review date must come after the decision.")})
    mandate = proposal.mandate
    as_deputy = mandate is not None and proposal.mandate_change is None and actor != mandate.delegate
    decision = Decision(
        number=_next_number(decided_on.year),
        proposal=proposal,
        team=proposal.team,
        mandate=mandate,
        mandate_version=mandate.version if mandate else None,
        outcome=outcome.strip(),
        decided_by=actor,
        as_deputy=as_deputy,
        decided_on=decided_on,
        review_on=review_on,
    )
    decision.full_clean()
    decision.save()
    proposal.status = Proposal.Status.DECIDED
    proposal.save(update_fields=["status"])
    record(
        actor=actor,
        obj=decision,
        action="decision.made",
        changes={
            "outcome": decision.outcome,
            "mandate": str(mandate) if mandate else None,
            "as_deputy": as_deputy,
        },
    )
    if proposal.mandate_change is not None and mandate is not None:
        _apply_mandate_change(actor, mandate, proposal)
    if proposal.effect:
        EFFECTS[proposal.effect["kind"]](actor, proposal, decision)
    proposal_closed.send(sender=Proposal, proposal=proposal, decision=decision, actor=actor)
    took_part = User.objects.filter(
        pk__in=[proposal.created_by_id, *proposal.responses.values_list("person_id", flat=True)]
    )
    notify(
        [person for person in took_part if person.pk != actor.pk],
        Kind.DECIDED,
        _("Decided: %(title)s") % {"title": proposal.title},
        decision.get_absolute_url(),
        f"decided:proposal:{proposal.pk}",
    )
    return decision


def _apply_mandate_change(actor: Any, mandate: Mandate, proposal: Proposal) -> None:
    assert proposal.mandate_change is not None
    before = _readable(mandate)
    changed = _mandate_from_content(mandate, proposal.mandate_change)
    changed.version = mandate.version + 1
    changed.full_clean()  # turns the stored plain values back into dates and amounts
    _check_mandate(changed)
    changed.save()
    MandateVersion.objects.create(
        mandate=changed,
        number=changed.version,
        content=mandate_content(changed),
        proposal=proposal,
        created_by=actor,
    )
    after = _readable(changed)
    record(
        actor=actor,
        obj=changed,
        action="mandate.changed",
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )


@transaction.atomic
def decision_amend(
    *, actor: Any, decision: Decision, outcome: str, reason: str, review_on: datetime.date | None = None
) -> Decision:
    """A decision is a record: it is never edited. An amendment is a new version that replaces it, made by
    whoever may decide the matter now."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("proposal__mandate")
        .get(pk=decision.pk)
    )
    if Decision.objects.filter(replaces=decision).exists():
        raise ValidationError(_("This version has already been replaced; amend the newest version."))
    people, capacity = deciders(decision.proposal)
    if actor not in people or _has_conflict(decision.proposal, actor):
        names = ", ".join(str(person) for person in people) or _("no one")
        raise ValidationError(
            _("This matter is decided by %(who)s (%(capacity)s).") % {"who": names, "capacity": capacity}
        )
    if not reason.strip():
        raise ValidationError({"amendment_reason": _("Say why the decision is amended.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write what was decided.")})
    today = timezone.localdate()
    new = Decision(
        number=decision.number,
        version=decision.version + 1,
        proposal=decision.proposal,
        team=decision.team,
        mandate=decision.mandate,
        mandate_version=decision.mandate.version if decision.mandate else None,
        outcome=outcome.strip(),
        decided_by=actor,
        as_deputy=decision.mandate is not None and actor != decision.mandate.delegate,
        decided_on=today,
        review_on=review_on,
        replaces=decision,
        amendment_reason=reason.strip(),
    )
    new.full_clean()
    new.save()
    record(
        actor=actor,
        obj=new,
        action="decision.amended",
        changes={"outcome": [decision.outcome, new.outcome], "reason": new.amendment_reason},
    )
    return new


def reportable(committee: Committee, start: datetime.date, end: datetime.date) -> Any:
    """The delegated decisions made under the committee's mandates in the period: what the report lists."""
    return (
        Decision.objects.filter(
            mandate__committee=committee,
            mandate__kind=Mandate.Kind.DELEGATED,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .select_related("proposal", "team", "mandate", "decided_by", "report")
        .order_by("decided_on", "number", "version")
    )


@transaction.atomic
def report_make(
    *,
    actor: Any,
    committee: Committee,
    period_start: datetime.date,
    period_end: datetime.date,
    reported_on: datetime.date,
) -> CommitteeReport:
    """Marks the period's delegated decisions that have not been reported as reported to the committee."""
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end on or after its first day.")})
    decisions = (
        reportable(committee, period_start, period_end)
        .filter(report__isnull=True)
        .select_for_update(of=("self",))
    )
    pks = list(decisions.values_list("pk", flat=True))
    if not pks:
        raise ValidationError(_("There are no unreported delegated decisions in this period."))
    report = CommitteeReport(
        committee=committee,
        period_start=period_start,
        period_end=period_end,
        reported_on=reported_on,
        created_by=actor,
    )
    report.full_clean()
    report.save()
    Decision.objects.filter(pk__in=pks).update(report=report)
    record(
        actor=actor,
        obj=report,
        action="report.made",
        changes={"decisions": len(pks), "reported_on": reported_on.isoformat()},
    )
    return report
