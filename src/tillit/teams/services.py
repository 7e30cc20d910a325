"""Every change to a team's roles and meetings: checked, in a transaction, with history."""

import calendar
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.accounts.models import User
from tillit.core.history import label_actions, label_values, record, save_and_record
from tillit.decisions import services as decisions
from tillit.decisions.models import Decision, Proposal
from tillit.notifications.models import Kind
from tillit.notifications.services import notify
from tillit.organisation.models import Membership, Team
from tillit.organisation.selectors import is_member
from tillit.teams.models import Action, AgendaItem, Meeting, Role, RoleHolder, SupportRequest
from tillit.teams.role_templates import ROLE_TEMPLATES

label_values("purpose", AgendaItem.Purpose.choices)
label_actions(
    {
        "role.created": gettext_lazy("Role created"),
        "role.changed": gettext_lazy("Role changed"),
        "role.holder_started": gettext_lazy("Role taken"),
        "role.holder_ended": gettext_lazy("Role left"),
        "meeting.planned": gettext_lazy("Meeting planned"),
        "meeting.opened": gettext_lazy("Meeting opened"),
        "meeting.minutes_approved": gettext_lazy("Previous minutes approved"),
        "meeting.item_added": gettext_lazy("Agenda item added"),
        "meeting.item_recorded": gettext_lazy("Minutes written"),
        "meeting.closed": gettext_lazy("Meeting closed"),
        "action.added": gettext_lazy("Action added"),
        "action.done": gettext_lazy("Action done"),
        "support.asked": gettext_lazy("Coach asked for support"),
        "support.answered": gettext_lazy("Support request answered"),
    }
)

ROLE_FIELDS = ("name", "purpose", "accountabilities", "domain", "term_months")


def _require_member(person: Any, team: Team, message: str) -> None:
    if not is_member(person, team):
        raise ValidationError(message)


@transaction.atomic
def role_create(*, actor: Any, team: Team, template: str = "", **fields: Any) -> Role:
    if template:
        chosen = ROLE_TEMPLATES.get(template)
        if chosen is None:
            raise ValidationError({"template": _("Choose one of the role templates.")})
        defaults = {
            "name": str(chosen.name),
            "purpose": str(chosen.purpose),
            "accountabilities": str(chosen.accountabilities),
            "domain": str(chosen.domain),
        }
        fields = {**defaults, **{k: v for k, v in fields.items() if v}}
    role = Role(team=team, template=template)
    return save_and_record(role, actor=actor, action="role.created", tracked=ROLE_FIELDS, fields=fields)


@transaction.atomic
def role_update(*, actor: Any, role: Role, **fields: Any) -> Role:
    return save_and_record(role, actor=actor, action="role.changed", tracked=ROLE_FIELDS, fields=fields)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def current_holders(role: Role) -> list[RoleHolder]:
    today = timezone.localdate()
    return [h for h in role.holders.all() if h.ended_on is None and h.starts_on <= today <= h.ends_on]


@transaction.atomic
def role_holder_propose(
    *,
    actor: Any,
    role: Role,
    person: User,
    starts_on: datetime.date,
    deadline: datetime.datetime,
    background: str = "",
) -> Proposal:
    """A holder is selected by consent: a proposal in the team, which on its decision gives the person the role
    for the role's term."""
    if not is_member(person, role.team):
        raise ValidationError({"person": _("Only a member of the team can hold one of its roles.")})
    if any(h.person_id == person.pk for h in current_holders(role)):
        raise ValidationError({"person": _("%(person)s already holds this role.") % {"person": person}})
    ends_on = add_months(starts_on, role.term_months) - datetime.timedelta(days=1)
    text = background or _("%(person)s takes the role %(role)s from %(start)s to %(end)s.") % {
        "person": person,
        "role": role.name,
        "start": starts_on.isoformat(),
        "end": ends_on.isoformat(),
    }
    return decisions.proposal_create(
        actor=actor,
        team=role.team,
        title=_("%(person)s as %(role)s") % {"person": person, "role": role.name},
        background=text,
        process=Proposal.Process.CONSENT,
        deadline=deadline,
        effect={
            "kind": "role_holder",
            "role": role.pk,
            "person": person.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )


def _start_holder(actor: Any, proposal: Proposal, decision: Decision) -> None:
    effect = proposal.effect or {}
    role = Role.objects.select_for_update().get(pk=effect["role"])
    holder = RoleHolder(
        role=role,
        person_id=effect["person"],
        starts_on=datetime.date.fromisoformat(effect["starts_on"]),
        ends_on=datetime.date.fromisoformat(effect["ends_on"]),
        decision=decision,
    )
    holder.full_clean()
    holder.save()
    record(
        actor=actor,
        obj=role,
        action="role.holder_started",
        changes={"person": str(holder.person), "term": f"{holder.starts_on} – {holder.ends_on}"},
    )


decisions.register_effect("role_holder", _start_holder)


@transaction.atomic
def role_holder_end(*, actor: Any, holder: RoleHolder, on: datetime.date | None = None) -> RoleHolder:
    on = on or timezone.localdate()
    if holder.ended_on is not None:
        raise ValidationError(_("This term has already ended."))
    if on < holder.starts_on:
        raise ValidationError(_("A term cannot end before it starts."))
    holder.ended_on = on
    holder.save(update_fields=["ended_on"])
    record(actor=actor, obj=holder.role, action="role.holder_ended", changes={"person": str(holder.person)})
    return holder


# Meetings.


@transaction.atomic
def meeting_plan(
    *, actor: Any, team: Team, starts_at: datetime.datetime, facilitator: User, place: str = ""
) -> Meeting:
    _require_member(actor, team, _("Only the team's members can plan its meetings."))
    if not is_member(facilitator, team):
        raise ValidationError({"facilitator": _("The facilitator must be a member of the team.")})
    meeting = Meeting(team=team, starts_at=starts_at, facilitator=facilitator, place=place, created_by=actor)
    return save_and_record(
        meeting, actor=actor, action="meeting.planned", tracked=("starts_at", "facilitator", "place")
    )


def _locked(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().select_related("team").get(pk=meeting.pk)
    if locked.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is closed; its minutes are a record."))
    return locked


def _require_facilitator(actor: Any, meeting: Meeting) -> None:
    if actor.pk != meeting.facilitator_id:
        raise ValidationError(_("The meeting's facilitator does this."))


@transaction.atomic
def meeting_open(*, actor: Any, meeting: Meeting) -> Meeting:
    meeting = _locked(meeting)
    _require_facilitator(actor, meeting)
    if meeting.status != Meeting.Status.OPEN:
        meeting.status = Meeting.Status.OPEN
        meeting.save(update_fields=["status"])
        record(actor=actor, obj=meeting, action="meeting.opened")
    return meeting


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            team=meeting.team, status=Meeting.Status.CLOSED, starts_at__lt=meeting.starts_at
        )
        .order_by("-starts_at")
        .first()
    )


@transaction.atomic
def meeting_approve_previous_minutes(*, actor: Any, meeting: Meeting) -> Meeting:
    """Every meeting opens by approving the previous one's minutes."""
    meeting = _locked(meeting)
    _require_facilitator(actor, meeting)
    if meeting.status != Meeting.Status.OPEN:
        raise ValidationError(_("Open the meeting first."))
    meeting.previous_minutes_approved = True
    meeting.save(update_fields=["previous_minutes_approved"])
    previous = previous_meeting(meeting)
    record(
        actor=actor,
        obj=meeting,
        action="meeting.minutes_approved",
        changes={"previous_meeting": str(previous) if previous else None},
    )
    return meeting


@transaction.atomic
def agenda_item_add(
    *, actor: Any, meeting: Meeting, title: str, purpose: str, minutes: int = 10
) -> AgendaItem:
    meeting = _locked(meeting)
    _require_member(actor, meeting.team, _("Only the team's members add items to its meetings."))
    last = meeting.items.aggregate(n=Max("order"))["n"] or 0
    item = AgendaItem(
        meeting=meeting, title=title, owner=actor, purpose=purpose, minutes=minutes, order=last + 1
    )
    item.full_clean()
    item.save()
    record(actor=actor, obj=meeting, action="meeting.item_added", changes={"item": title, "purpose": purpose})
    return item


@transaction.atomic
def agenda_item_record(*, actor: Any, item: AgendaItem, notes: str, done: bool = True) -> AgendaItem:
    meeting = _locked(item.meeting)
    _require_facilitator(actor, meeting)
    if meeting.status != Meeting.Status.OPEN:
        raise ValidationError(_("Open the meeting first."))
    item.notes = notes.strip()
    item.done = done
    item.full_clean()
    item.save(update_fields=["notes", "done"])
    record(actor=actor, obj=meeting, action="meeting.item_recorded", changes={"item": item.title})
    return item


@transaction.atomic
def agenda_item_decide(*, actor: Any, item: AgendaItem, outcome: str) -> Decision:
    """A decision the team takes in the meeting, by consent in the room, enters the register as a team
    agreement; the item's owner is its proposer and the facilitator records it."""
    meeting = _locked(item.meeting)
    _require_facilitator(actor, meeting)
    if item.purpose != AgendaItem.Purpose.DECIDE:
        raise ValidationError(_("Only an item brought to decide can be decided."))
    if item.decision_id is not None:
        raise ValidationError(_("This item has already been decided."))
    proposal = decisions.proposal_create(
        actor=item.owner,
        team=meeting.team,
        title=item.title,
        background=item.notes or _("Decided in the team meeting of %(when)s.") % {"when": meeting},
        process=Proposal.Process.CONSENT,
        deadline=timezone.now() + datetime.timedelta(hours=1),
    )
    decision = decisions.proposal_decide(actor=actor, proposal=proposal, outcome=outcome)
    item.decision = decision
    item.done = True
    item.save(update_fields=["decision", "done"])
    return decision


@transaction.atomic
def action_add(
    *, actor: Any, team: Team, text: str, owner: User, due_on: datetime.date, item: AgendaItem | None = None
) -> Action:
    _require_member(actor, team, _("Only the team's members add its actions."))
    if not is_member(owner, team):
        raise ValidationError({"owner": _("The action's owner must be a member of the team.")})
    action = Action(team=team, item=item, text=text, owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    record(actor=actor, obj=team, action="action.added", changes={"action": text, "person": str(owner)})
    return action


@transaction.atomic
def action_done(*, actor: Any, action: Action) -> Action:
    _require_member(actor, action.team, _("Only the team's members mark its actions done."))
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        record(actor=actor, obj=action.team, action="action.done", changes={"action": action.text})
    return action


@transaction.atomic
def meeting_close(*, actor: Any, meeting: Meeting) -> Meeting:
    meeting = _locked(meeting)
    _require_facilitator(actor, meeting)
    meeting.status = Meeting.Status.CLOSED
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    record(actor=actor, obj=meeting, action="meeting.closed", changes={"item_count": meeting.items.count()})
    return meeting


@transaction.atomic
def support_ask(*, actor: Any, team: Team, message: str = "") -> SupportRequest:
    """The team asks its coaches for support: they are told at once, and see it on their page."""
    _require_member(actor, team, _("Only the team's members ask its coach for support."))
    coaches = [m.person for m in team.memberships.filter(role=Membership.Role.COACH).select_related("person")]
    if not coaches:
        raise ValidationError(_("The team has no coach yet; ask an administrator to add one."))
    request = SupportRequest(team=team, asked_by=actor, message=message.strip())
    request.full_clean()
    request.save()
    record(actor=actor, obj=team, action="support.asked", changes={"message": request.message or None})
    notify(
        coaches,
        Kind.SUPPORT,
        _("%(team)s asks for your support") % {"team": team.name},
        reverse("teams:coach"),
        f"support:{request.pk}",
    )
    return request


@transaction.atomic
def support_answer(*, actor: Any, request: SupportRequest) -> SupportRequest:
    if not Membership.objects.filter(team=request.team, person=actor, role=Membership.Role.COACH).exists():
        raise ValidationError(_("Only the team's coach answers its requests for support."))
    if request.answered_at is None:
        request.answered_at = timezone.now()
        request.answered_by = actor
        request.save(update_fields=["answered_at", "answered_by"])
        record(actor=actor, obj=request.team, action="support.answered")
    return request
