"""Every change to labs, initiatives, effect goals and ideas: checked, in a transaction, with history.
Views and the API check who may ask; these functions check what may happen."""

import datetime
import logging
import smtplib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.core.history import label_actions, label_values, person_of, record, save_and_record
from tillit.labs.models import (
    ATTACHMENT_MAX_BYTES,
    LEARNING_FIELDS,
    Attachment,
    EffectGoal,
    Idea,
    IdeaUpdate,
    Indicator,
    Initiative,
    Lab,
    Link,
    Measurement,
    Track,
)
from tillit.notifications.models import Kind
from tillit.notifications.services import emails_enabled, notify
from tillit.organisation.services import unique_slug

logger = logging.getLogger(__name__)

label_values("stage", Initiative.Stage.choices)
label_values("status", [*Initiative.Status.choices, *Idea.Status.choices])
label_actions(
    {
        "lab.created": gettext_lazy("Lab created"),
        "lab.changed": gettext_lazy("Lab changed"),
        "lab.track_added": gettext_lazy("Track added"),
        "initiative.created": gettext_lazy("Initiative created"),
        "initiative.changed": gettext_lazy("Initiative changed"),
        "initiative.status_changed": gettext_lazy("Status or stage changed"),
        "initiative.published": gettext_lazy("Published in the portfolio"),
        "initiative.unpublished": gettext_lazy("Taken out of the portfolio"),
        "initiative.imported": gettext_lazy("Imported from another municipality"),
        "initiative.link_added": gettext_lazy("Link added"),
        "initiative.link_removed": gettext_lazy("Link removed"),
        "initiative.attachment_added": gettext_lazy("Attachment added"),
        "initiative.attachment_removed": gettext_lazy("Attachment removed"),
        "initiative.goal_added": gettext_lazy("Effect goal added"),
        "initiative.goal_removed": gettext_lazy("Effect goal removed"),
        "initiative.indicator_added": gettext_lazy("Indicator added"),
        "initiative.indicator_removed": gettext_lazy("Indicator removed"),
        "initiative.measurement_added": gettext_lazy("Measurement added"),
        "initiative.measurement_removed": gettext_lazy("Measurement removed"),
        "idea.submitted": gettext_lazy("Idea submitted"),
        "idea.assessed": gettext_lazy("Idea assessed"),
    }
)

LAB_FIELDS = ("name", "description", "hypothesis", "research_partners")
INITIATIVE_FIELDS = (
    "title",
    "lab",
    "track",
    "area",
    "administration",
    "what",
    "why",
    "how",
    "hypothesis",
    "success_factors",
    "questions",
    "pilot_start",
    "pilot_end",
    "support",
    "citizen_involvement",
    "contact_name",
    "contact_email",
    *LEARNING_FIELDS,
)


# Labs.


@transaction.atomic
def lab_create(
    *, actor: Any, name: str, description: str, hypothesis: str, research_partners: str = ""
) -> Lab:
    lab = Lab(slug=unique_slug(Lab, name))
    fields = {"name": name, "description": description, "hypothesis": hypothesis}
    fields["research_partners"] = research_partners
    return save_and_record(lab, actor=actor, action="lab.created", tracked=LAB_FIELDS, fields=fields)


@transaction.atomic
def lab_update(*, actor: Any, lab: Lab, **fields: Any) -> Lab:
    unknown = set(fields) - set(LAB_FIELDS)
    if unknown:
        raise TypeError(f"Not a lab field: {', '.join(sorted(unknown))}")
    return save_and_record(lab, actor=actor, action="lab.changed", tracked=LAB_FIELDS, fields=fields)


@transaction.atomic
def track_add(*, actor: Any, lab: Lab, name: str, description: str = "", unit: Any = None) -> Track:
    track = Track(lab=lab, name=name, description=description, unit=unit)
    track.full_clean()
    track.save()
    record(actor=actor, obj=lab, action="lab.track_added", changes={"track": track.name})
    return track


# Initiatives.


def check_initiative(initiative: Initiative) -> None:
    errors: dict[str, Any] = {}
    if initiative.track is not None and initiative.track.lab_id != initiative.lab_id:
        errors["track"] = _("The track belongs to another lab.")
    if initiative.pilot_start and initiative.pilot_end and initiative.pilot_end < initiative.pilot_start:
        errors["pilot_end"] = _("The pilot period cannot end before it starts.")
    if initiative.is_ended:
        for name in LEARNING_FIELDS:
            if not getattr(initiative, name).strip():
                errors[name] = _(
                    "An initiative that has ended keeps its learnings: write what worked, what did not and"
                    " what others should know, in the team's own words."
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def initiative_create(*, actor: Any, teams: Iterable[Any] = (), **fields: Any) -> Initiative:
    unknown = set(fields) - {*INITIATIVE_FIELDS, "stage"}
    if unknown:
        raise TypeError(f"Not an initiative field: {', '.join(sorted(unknown))}")
    initiative = Initiative(
        slug=unique_slug(Initiative, fields.get("title", "")), created_by=person_of(actor)
    )
    save_and_record(
        initiative,
        actor=actor,
        action="initiative.created",
        tracked=("title", "lab", "track", "area", "administration", "contact_name", "stage", "status"),
        fields=fields,
        check=check_initiative,
    )
    initiative.teams.set(list(teams))
    return initiative


@transaction.atomic
def initiative_update(
    *, actor: Any, initiative: Initiative, teams: Iterable[Any] | None = None, **fields: Any
) -> Initiative:
    unknown = set(fields) - set(INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Not an initiative field: {', '.join(sorted(unknown))}")
    initiative = _locked(initiative)
    save_and_record(
        initiative,
        actor=actor,
        action="initiative.changed",
        tracked=INITIATIVE_FIELDS,
        fields=fields,
        check=check_initiative,
    )
    if teams is not None:
        before = {team.name for team in initiative.teams.all()}
        teams = list(teams)
        initiative.teams.set(teams)
        after = {team.name for team in teams}
        if before != after:
            record(
                actor=actor,
                obj=initiative,
                action="initiative.changed",
                changes={"teams": [", ".join(sorted(before)), ", ".join(sorted(after))]},
            )
    return initiative


@transaction.atomic
def initiative_set_status(
    *, actor: Any, initiative: Initiative, status: str, stage: str, **learnings: str
) -> Initiative:
    """Moves the initiative in the innovation model and sets its status. Ending it, stopped or realised, is
    refused until its learnings are written; they may be written in the same step."""
    unknown = set(learnings) - set(LEARNING_FIELDS)
    if unknown:
        raise TypeError(f"Not a learning field: {', '.join(sorted(unknown))}")
    initiative = _locked(initiative)
    ending = status in Initiative.ENDED and not initiative.is_ended
    fields: dict[str, Any] = {"status": status, "stage": stage, **learnings}
    if status in Initiative.ENDED:
        fields["ended_on"] = initiative.ended_on if not ending else timezone.localdate()
    else:
        fields["ended_on"] = None
    return save_and_record(
        initiative,
        actor=actor,
        action="initiative.status_changed",
        tracked=("status", "stage", "ended_on", *LEARNING_FIELDS),
        fields=fields,
        check=check_initiative,
    )


@transaction.atomic
def initiative_publish(*, actor: Any, initiative: Initiative, published: bool) -> Initiative:
    initiative = _locked(initiative)
    if published == initiative.is_published:
        return initiative
    initiative.published_at = timezone.now() if published else None
    initiative.save(update_fields=["published_at", "updated_at"])
    record(
        actor=actor,
        obj=initiative,
        action="initiative.published" if published else "initiative.unpublished",
    )
    return initiative


def _locked(initiative: Initiative) -> Initiative:
    return (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("lab", "track")
        .get(pk=initiative.pk)
    )


def initiative_touch(initiative: Initiative) -> None:
    """A change to a part of the initiative (a goal, a measurement, a link) updates its "last updated" date."""
    Initiative.objects.filter(pk=initiative.pk).update(updated_at=timezone.now())


@transaction.atomic
def link_add(*, actor: Any, initiative: Initiative, title: str, url: str) -> Link:
    link = Link(initiative=initiative, title=title, url=url)
    link.full_clean()
    link.save()
    record(actor=actor, obj=initiative, action="initiative.link_added", changes={"link": link.title})
    initiative_touch(initiative)
    return link


@transaction.atomic
def link_remove(*, actor: Any, link: Link) -> None:
    record(actor=actor, obj=link.initiative, action="initiative.link_removed", changes={"link": link.title})
    initiative_touch(link.initiative)
    link.delete()


@transaction.atomic
def attachment_add(*, actor: Any, initiative: Initiative, title: str, file: UploadedFile[Any]) -> Attachment:
    if file.size is not None and file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is too large: at most %(mb)d MB.") % {"mb": ATTACHMENT_MAX_BYTES // 2**20}}
        )
    attachment = Attachment(initiative=initiative, title=title, file=file, size=file.size or 0)
    attachment.full_clean()
    attachment.save()
    record(actor=actor, obj=initiative, action="initiative.attachment_added", changes={"attachment": title})
    initiative_touch(initiative)
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    initiative = attachment.initiative
    record(
        actor=actor,
        obj=initiative,
        action="initiative.attachment_removed",
        changes={"attachment": attachment.title},
    )
    initiative_touch(initiative)
    name, storage = attachment.file.name or "", attachment.file.storage
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# Effect goals, indicators and measurements.


@transaction.atomic
def effect_goal_add(*, actor: Any, initiative: Initiative, title: str, description: str = "") -> EffectGoal:
    goal = EffectGoal(initiative=initiative, title=title, description=description)
    goal.full_clean()
    goal.save()
    record(actor=actor, obj=initiative, action="initiative.goal_added", changes={"goal": goal.title})
    initiative_touch(initiative)
    return goal


@transaction.atomic
def effect_goal_remove(*, actor: Any, goal: EffectGoal) -> None:
    record(actor=actor, obj=goal.initiative, action="initiative.goal_removed", changes={"goal": goal.title})
    initiative_touch(goal.initiative)
    goal.delete()


def check_indicator(indicator: Indicator) -> None:
    errors: dict[str, Any] = {}
    if indicator.target_on <= indicator.baseline_on:
        errors["target_on"] = _("The target date must come after the baseline.")
    wrong_way = (
        indicator.target <= indicator.baseline
        if indicator.direction == Indicator.Direction.INCREASE
        else indicator.target >= indicator.baseline
    )
    if wrong_way:
        errors["target"] = (
            _("Higher is better for this indicator, so the target must be above the baseline.")
            if indicator.direction == Indicator.Direction.INCREASE
            else _("Lower is better for this indicator, so the target must be below the baseline.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_add(
    *,
    actor: Any,
    goal: EffectGoal,
    name: str,
    unit: str,
    direction: str,
    baseline: Decimal,
    baseline_on: datetime.date,
    target: Decimal,
    target_on: datetime.date,
) -> Indicator:
    indicator = Indicator(
        goal=goal,
        name=name,
        unit=unit,
        direction=direction,
        baseline=baseline,
        baseline_on=baseline_on,
        target=target,
        target_on=target_on,
    )
    indicator.full_clean()
    check_indicator(indicator)
    indicator.save()
    record(
        actor=actor,
        obj=goal.initiative,
        action="initiative.indicator_added",
        changes={"indicator": indicator.name, "baseline": str(baseline), "target": str(target)},
    )
    initiative_touch(goal.initiative)
    return indicator


@transaction.atomic
def indicator_remove(*, actor: Any, indicator: Indicator) -> None:
    initiative = indicator.goal.initiative
    record(
        actor=actor,
        obj=initiative,
        action="initiative.indicator_removed",
        changes={"indicator": indicator.name},
    )
    initiative_touch(initiative)
    indicator.delete()


@transaction.atomic
def measurement_add(
    *, actor: Any, indicator: Indicator, measured_on: datetime.date, value: Decimal, comment: str = ""
) -> Measurement:
    measurement = Measurement(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        comment=comment,
        created_by=person_of(actor),
    )
    measurement.full_clean()
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("A measurement cannot be dated in the future.")})
    measurement.save()
    initiative = indicator.goal.initiative
    record(
        actor=actor,
        obj=initiative,
        action="initiative.measurement_added",
        changes={"indicator": indicator.name, "measured_on": str(measured_on), "value": str(value)},
    )
    initiative_touch(initiative)
    return measurement


@transaction.atomic
def measurement_remove(*, actor: Any, measurement: Measurement) -> None:
    indicator = measurement.indicator
    initiative = indicator.goal.initiative
    record(
        actor=actor,
        obj=initiative,
        action="initiative.measurement_removed",
        changes={
            "indicator": indicator.name,
            "measured_on": str(measurement.measured_on),
            "value": str(measurement.value),
        },
    )
    initiative_touch(initiative)
    measurement.delete()


# Ideas.


@transaction.atomic
def idea_submit(
    *,
    actor: Any,
    title: str,
    problem: str,
    idea: str,
    beneficiaries: str,
    area: str = "",
    submitter_name: str = "",
    submitter_email: str = "",
) -> Idea:
    person = person_of(actor)
    submitted = Idea(
        title=title,
        problem=problem,
        idea=idea,
        beneficiaries=beneficiaries,
        area=area,
        submitted_by=person,
        submitter_name=submitter_name,
        submitter_email=submitter_email,
    )
    submitted.full_clean()
    submitted.save()
    IdeaUpdate.objects.create(idea=submitted, status=Idea.Status.RECEIVED)
    record(actor=actor, obj=submitted, action="idea.submitted")
    if person is None and submitted.submitter_email:
        _email_submitter(
            submitted,
            _("Thank you for your idea “%(title)s”. Follow it here; we will also write when it moves on.")
            % {"title": submitted.title},
        )
    return submitted


STATUS_NEEDS_MESSAGE = (Idea.Status.DECLINED, Idea.Status.ACCEPTED)

# Sent when an idea moves on, inside its transaction, with `idea`, `status`, `message` and `actor`: feedback that
# became an idea (the citizens app) follows it.
idea_moved = Signal()


@transaction.atomic
def idea_assess(*, actor: Any, idea: Idea, status: str, message: str = "") -> Idea:
    """Moves an idea on with feedback to the submitter. Saying no, or yes, always comes with a reason."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.is_closed:
        raise ValidationError(_("This idea's assessment is finished."))
    if status == Idea.Status.INITIATIVE:
        raise ValidationError({"status": _("An idea becomes an initiative by creating the initiative.")})
    if status not in Idea.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status in STATUS_NEEDS_MESSAGE and not message.strip():
        raise ValidationError(
            {"message": _("Tell the submitter why: they see this message with the decision.")}
        )
    if status == idea.status and not message.strip():
        raise ValidationError({"message": _("Write a message, or choose a new status.")})
    return _idea_move(actor=actor, idea=idea, status=status, message=message)


def _idea_move(*, actor: Any, idea: Idea, status: str, message: str) -> Idea:
    update = IdeaUpdate(idea=idea, status=status, message=message, by=person_of(actor))
    update.full_clean()
    before = idea.status
    idea.status = status
    idea.save(update_fields=["status", "initiative", "updated_at"])
    update.save()
    record(actor=actor, obj=idea, action="idea.assessed", changes={"status": [before, status]})
    idea_moved.send(sender=Idea, idea=idea, status=status, message=message, actor=actor)
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your idea “%(title)s”: %(status)s") % {
            "title": idea.title,
            "status": Idea.Status(status).label,
        }
    if idea.submitted_by is not None:
        notify([idea.submitted_by], Kind.IDEA, text, idea.get_absolute_url(), f"idea:{idea.pk}:{update.pk}")
    elif idea.submitter_email:
        _email_submitter(idea, text + (f"\n\n{message}" if message else ""))
    return idea


@transaction.atomic
def idea_to_initiative(*, actor: Any, idea: Idea, message: str = "", **fields: Any) -> Initiative:
    """The idea becomes an initiative and keeps its link to it; the submitter is told."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.is_closed:
        raise ValidationError(_("This idea's assessment is finished."))
    initiative = initiative_create(actor=actor, **fields)
    idea.initiative = initiative
    _idea_move(actor=actor, idea=idea, status=Idea.Status.INITIATIVE, message=message)
    return initiative


def _email_submitter(idea: Idea, text: str) -> None:
    """A submitter without an account is written to at the address they gave, with their own link."""
    if not emails_enabled():
        return
    address, url = idea.submitter_email, settings.SITE_URL + idea.get_absolute_url()

    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            body = _("%(text)s\n\nSee where your idea stands: %(url)s") % {"text": text, "url": url}
            try:
                send_mail(f"Tillit: {idea.title[:120]}", body, None, [address])
            except (OSError, smtplib.SMTPException):
                logger.exception("Could not send an idea e-mail")

    transaction.on_commit(send)
