"""Surveys: built, sent, answered and closed. An answer in an anonymous survey is written without the person,
without a time, under a random key, and nothing records the answering but the recipient's "has answered": "who has
answered" (Recipient.answered) and "what was answered" (Response) share nothing but the survey. While a survey is
open its sheets lie in the order they came; when it closes they are rewritten in random order under new keys, so
that not even the storage order can be set against who was reminded when."""

import datetime
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.core.history import label_actions, label_values, record, save_and_record
from tillit.followup.models import (
    MIN_THRESHOLD,
    Answer,
    Item,
    Recipient,
    Release,
    Response,
    Section,
    Survey,
)
from tillit.followup.templates_data import AGREE_HIGH, AGREE_LOW, TEMPLATES
from tillit.notifications.models import Kind
from tillit.notifications.services import notify
from tillit.organisation.models import Membership, Team
from tillit.organisation.selectors import unit_descendant_ids

REMIND_DAYS_BEFORE_CLOSING = 3
MAX_TEXT = 5000

label_values("audience", Survey.Audience.choices)
label_actions(
    {
        "survey.created": gettext_lazy("Survey created"),
        "survey.changed": gettext_lazy("Survey changed"),
        "survey.item_added": gettext_lazy("Question added"),
        "survey.item_removed": gettext_lazy("Question removed"),
        "survey.sent": gettext_lazy("Survey sent"),
        "survey.closed": gettext_lazy("Survey closed"),
        "survey.released": gettext_lazy("Results shared with the unit"),
        "survey.new_round": gettext_lazy("New round started"),
    }
)

SURVEY_FIELDS = (
    "title",
    "intro",
    "audience",
    "team",
    "unit",
    "opens_on",
    "closes_on",
    "anonymous",
    "threshold",
)


def _check_survey(survey: Survey) -> None:
    errors: dict[str, Any] = {}
    if survey.closes_on < survey.opens_on:
        errors["closes_on"] = _("The survey cannot close before it opens.")
    if survey.audience == Survey.Audience.TEAM and survey.team is None:
        errors["team"] = _("Choose the team the survey is sent to.")
    if survey.audience == Survey.Audience.UNIT and survey.unit is None:
        errors["unit"] = _("Choose the unit the survey is sent to.")
    if survey.threshold < MIN_THRESHOLD:
        errors["threshold"] = _("The smallest group shown is never below %(n)d.") % {"n": MIN_THRESHOLD}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def survey_create(*, actor: Any, template: str = "", **fields: Any) -> Survey:
    """A new survey, empty or with a template's sections and questions in the creator's language."""
    if template and template not in TEMPLATES:
        raise ValidationError({"template": _("Choose one of the templates.")})
    fields.setdefault("audience", Survey.Audience.TEAM)
    fields.setdefault("team", None)
    fields.setdefault("unit", None)
    if fields.get("audience") != Survey.Audience.TEAM:
        fields["team"] = None
    if fields.get("audience") != Survey.Audience.UNIT:
        fields["unit"] = None
    survey = Survey(template=template, created_by=actor)
    save_and_record(
        survey,
        actor=actor,
        action="survey.created",
        tracked=SURVEY_FIELDS,
        fields=fields,
        check=_check_survey,
    )
    if template:
        order = 0
        for section_order, section_template in enumerate(TEMPLATES[template].sections):
            section = Section.objects.create(
                survey=survey, title=str(section_template.title), order=section_order
            )
            for item_template in section_template.items:
                order += 1
                scale = item_template.kind.startswith("scale")
                Item.objects.create(
                    survey=survey,
                    section=section,
                    kind=item_template.kind,
                    text=str(item_template.text),
                    low_label=str(AGREE_LOW) if scale else "",
                    high_label=str(AGREE_HIGH) if scale else "",
                    order=order,
                    key=item_template.key,
                )
    return survey


def _require_draft(survey: Survey) -> None:
    if survey.sent_at is not None:
        raise ValidationError(_("The survey has been sent: its questions can no longer change."))


@transaction.atomic
def survey_update(*, actor: Any, survey: Survey, **fields: Any) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.sent_at is not None:
        if set(fields) - {"closes_on", "title", "intro"}:
            raise ValidationError(
                _("The survey has been sent: only its title, introduction and closing date change.")
            )
        closes_on = fields.get("closes_on", survey.closes_on)
        if closes_on != survey.closes_on:
            if is_closed(survey):
                # One more answer after the results were seen would give that answer away.
                raise ValidationError({"closes_on": _("The survey has closed: it does not open again.")})
            if closes_on < timezone.localdate():
                raise ValidationError({"closes_on": _("A survey that is open closes today at the earliest.")})
    return save_and_record(
        survey,
        actor=actor,
        action="survey.changed",
        tracked=SURVEY_FIELDS,
        fields=fields,
        check=_check_survey,
    )


@transaction.atomic
def section_add(*, actor: Any, survey: Survey, title: str, description: str = "") -> Section:
    _require_draft(survey)
    order = (survey.sections.aggregate(Max("order"))["order__max"] or 0) + 1
    section = Section(survey=survey, title=title, description=description, order=order)
    section.full_clean()
    section.save()
    record(actor=actor, obj=survey, action="survey.changed", changes={"section": title})
    return section


def _clean_choices(kind: str, choices: list[str]) -> list[str]:
    cleaned = [choice.strip() for choice in choices if choice.strip()]
    if kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
        if len(cleaned) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})
        if len({choice.casefold() for choice in cleaned}) != len(cleaned):
            raise ValidationError({"choices": _("Two choices are the same.")})
        return cleaned
    return []


@transaction.atomic
def item_add(
    *,
    actor: Any,
    survey: Survey,
    kind: str,
    text: str,
    section: Section | None = None,
    low_label: str = "",
    high_label: str = "",
    choices: list[str] | None = None,
    required: bool = False,
) -> Item:
    _require_draft(survey)
    if section is not None and section.survey_id != survey.pk:
        raise ValidationError({"section": _("The section belongs to another survey.")})
    scale = kind in (Item.Kind.SCALE5, Item.Kind.SCALE7)
    order = (survey.items.aggregate(Max("order"))["order__max"] or 0) + 1
    item = Item(
        survey=survey,
        section=section,
        kind=kind,
        text=text,
        low_label=(low_label or str(AGREE_LOW)) if scale else "",
        high_label=(high_label or str(AGREE_HIGH)) if scale else "",
        choices=_clean_choices(kind, choices or []),
        required=required,
        order=order,
    )
    item.full_clean()
    item.save()
    record(actor=actor, obj=survey, action="survey.item_added", changes={"item": text})
    return item


@transaction.atomic
def item_remove(*, actor: Any, item: Item) -> None:
    _require_draft(item.survey)
    record(actor=actor, obj=item.survey, action="survey.item_removed", changes={"item": item.text})
    item.delete()


def _recipients(survey: Survey) -> list[tuple[Any, Team]]:
    """Who is asked, with the team their answer counts in: a team's members, or the members of every team in
    the unit and below (someone in two teams there counts in the first, by name)."""
    memberships = Membership.objects.filter(role=Membership.Role.MEMBER, person__is_active=True)
    if survey.audience == Survey.Audience.TEAM:
        memberships = memberships.filter(team=survey.team)
    elif survey.audience == Survey.Audience.UNIT and survey.unit is not None:
        units = {survey.unit.pk, *unit_descendant_ids(survey.unit)}
        memberships = memberships.filter(team__unit__in=units)
    else:
        return []
    chosen: dict[int, tuple[Any, Team]] = {}
    for membership in memberships.select_related("person", "team").order_by("team__name", "pk"):
        chosen.setdefault(membership.person_id, (membership.person, membership.team))
    return list(chosen.values())


@transaction.atomic
def survey_send(*, actor: Any, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    if not survey.items.exists():
        raise ValidationError(_("Add at least one question before sending the survey."))
    if survey.closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date has passed: choose a later one first.")})
    people = _recipients(survey)
    if survey.audience != Survey.Audience.LINK and len(people) < survey.threshold:
        raise ValidationError(
            _(
                "Only %(n)d people would be asked, fewer than the smallest group shown (%(threshold)d): no "
                "results could ever be shown without revealing who answered what."
            )
            % {"n": len(people), "threshold": survey.threshold}
        )
    Recipient.objects.bulk_create(
        Recipient(survey=survey, person=person, team=team) for person, team in people
    )
    survey.sent_at = timezone.now()
    survey.save(update_fields=["sent_at"])
    record(actor=actor, obj=survey, action="survey.sent", changes={"recipients": len(people)})
    with translation.override(settings.LANGUAGE_CODE):
        text = _("A survey is waiting for your answer: %(title)s (open until %(date)s)") % {
            "title": survey.title,
            "date": survey.closes_on.isoformat(),
        }
    notify(
        [person for person, _team in people],
        Kind.SURVEY,
        text,
        survey.get_absolute_url(),
        f"survey:{survey.pk}",
    )
    return survey


def is_open(survey: Survey, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        survey.sent_at is not None
        and survey.closed_at is None
        and survey.opens_on <= today <= survey.closes_on
    )


def is_closed(survey: Survey, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.sent_at is not None and (survey.closed_at is not None or survey.closes_on < today)


def _clean_answers(survey: Survey, answers: Mapping[int, Any]) -> list[Answer]:
    """The answers as rows, checked against their questions; an unknown question or a wrong value is refused."""
    items = {item.pk: item for item in survey.items.all()}
    errors: dict[str, str] = {}
    rows: list[Answer] = []
    for item in items.values():
        given = answers.get(item.pk)
        empty = given in (None, "", [], ())
        if empty:
            if item.required:
                errors[f"item_{item.pk}"] = _("This question needs an answer.")
            continue
        answer = Answer(item=item)
        if item.is_scale:
            try:
                value = int(str(given))
            except ValueError:
                value = 0
            if not 1 <= value <= (item.scale_max or 0):
                errors[f"item_{item.pk}"] = _("Choose a value on the scale.")
                continue
            answer.value = value
        elif item.kind == Item.Kind.SINGLE:
            if given not in item.choices:
                errors[f"item_{item.pk}"] = _("Choose one of the choices.")
                continue
            answer.chosen = [given]
        elif item.kind == Item.Kind.MULTIPLE:
            chosen = [given] if isinstance(given, str) else list(given or [])
            if any(choice not in item.choices for choice in chosen):
                errors[f"item_{item.pk}"] = _("Choose among the choices.")
                continue
            answer.chosen = [choice for choice in item.choices if choice in chosen]
        else:
            answer.text = str(given).strip()
            if len(answer.text) > MAX_TEXT:
                errors[f"item_{item.pk}"] = _("Write at most %(n)d characters.") % {"n": MAX_TEXT}
                continue
            try:
                answer.clean_fields(exclude=["response", "item", "value", "chosen"])
            except ValidationError as error:
                errors[f"item_{item.pk}"] = " ".join(error.messages)
                continue
        rows.append(answer)
    unknown = set(answers) - set(items)
    if unknown:
        errors["__all__"] = _("The survey has changed: reload the page.")
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def response_submit(*, survey: Survey, person: Any, answers: Mapping[int, Any]) -> None:
    """Saves one answer sheet. For a survey sent to people, the person must be asked and not have answered; for a
    link survey, the view keeps one answer per browser. Returns nothing: not even the response's key leaves."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not is_open(survey):
        raise ValidationError(_("The survey is not open for answers."))
    rows = _clean_answers(survey, answers)
    team = None
    if survey.audience != Survey.Audience.LINK:
        recipient = (
            Recipient.objects.select_for_update()
            .filter(survey=survey, person=person if getattr(person, "is_authenticated", False) else None)
            .first()
        )
        if recipient is None:
            raise ValidationError(_("This survey was not sent to you."))
        if recipient.answered:
            raise ValidationError(_("You have already answered this survey."))
        recipient.answered = True
        recipient.save(update_fields=["answered"])
        team = recipient.team
    if not rows:
        raise ValidationError(_("Answer at least one question."))
    response = Response.objects.create(survey=survey, team=team, person=None if survey.anonymous else person)
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)


@transaction.atomic
def survey_close(*, actor: Any, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.sent_at is None:
        raise ValidationError(_("The survey has not been sent."))
    if survey.closed_at is None:
        survey_seal(survey, actor=actor)
    return survey


def survey_seal(survey: Survey, *, actor: Any = None) -> None:
    """Closes the survey for good and rewrites its answer sheets in random order under new keys, so that the
    order they were stored in says nothing about who answered when. Called when it is closed by hand, and for
    a survey whose closing date has passed, when its results are first read (or by the daily command)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.closed_at is not None or survey.sent_at is None:
            return
        sheets = list(Response.objects.filter(survey=survey).prefetch_related("answers"))
        secrets.SystemRandom().shuffle(sheets)
        answers: list[Answer] = []
        fresh: list[Response] = []
        for sheet in sheets:
            copy = Response(survey=survey, team_id=sheet.team_id, person_id=sheet.person_id)
            fresh.append(copy)
            answers.extend(
                Answer(response=copy, item_id=a.item_id, value=a.value, chosen=a.chosen, text=a.text)
                for a in sheet.answers.all()
            )
        Response.objects.filter(survey=survey).delete()
        Response.objects.bulk_create(fresh)
        secrets.SystemRandom().shuffle(answers)
        Answer.objects.bulk_create(answers)
        survey.closed_at = timezone.now()
        survey.save(update_fields=["closed_at"])
        record(actor=actor, obj=survey, action="survey.closed")
        _refresh_indicators(survey, actor)


def seal_due_surveys(today: datetime.date | None = None) -> int:
    """Seals every sent survey whose closing date has passed."""
    today = today or timezone.localdate()
    due = Survey.objects.filter(sent_at__isnull=False, closed_at__isnull=True, closes_on__lt=today)
    for survey in due:
        survey_seal(survey)
    return len(due)


def _refresh_indicators(survey: Survey, actor: Any) -> None:
    """Indicators fed by the survey's questions take the new figures (those the team has released)."""
    from tillit.followup.indicators import refresh_survey_indicators

    refresh_survey_indicators(survey, actor=actor)


@transaction.atomic
def results_release(*, actor: Any, survey: Survey, team: Team) -> Release:
    """The team shares its results with the unit above it."""
    release, created = Release.objects.get_or_create(survey=survey, team=team, defaults={"by": actor})
    if created:
        record(actor=actor, obj=survey, action="survey.released", changes={"team": team.name})
        _refresh_indicators(survey, actor)
    return release


@transaction.atomic
def survey_new_round(
    *, actor: Any, survey: Survey, opens_on: datetime.date, closes_on: datetime.date
) -> Survey:
    """The same survey again, for the trend: the same questions, sections and audience, in the same series."""
    latest = Survey.objects.filter(series=survey.series).order_by("-round").first() or survey
    # Every question gets a key, so that the trend can follow it from round to round.
    for item in survey.items.filter(key=""):
        item.key = f"item-{item.pk}"
        item.save(update_fields=["key"])
    copy = Survey(
        template=survey.template,
        series=survey.series,
        round=latest.round + 1,
        created_by=actor,
    )
    fields = {name: getattr(survey, name) for name in SURVEY_FIELDS}
    fields.update(opens_on=opens_on, closes_on=closes_on)
    save_and_record(
        copy,
        actor=actor,
        action="survey.new_round",
        tracked=SURVEY_FIELDS,
        fields=fields,
        check=_check_survey,
    )
    sections = {}
    for section in survey.sections.all():
        sections[section.pk] = Section.objects.create(
            survey=copy, title=section.title, description=section.description, order=section.order
        )
    for item in survey.items.all():
        Item.objects.create(
            survey=copy,
            section=sections.get(item.section_id) if item.section_id else None,
            kind=item.kind,
            text=item.text,
            low_label=item.low_label,
            high_label=item.high_label,
            choices=item.choices,
            required=item.required,
            order=item.order,
            key=item.key,
        )
    return copy


def send_reminders(today: datetime.date | None = None) -> int:
    """Reminds, once, those who have not answered a survey that closes within a few days."""
    today = today or timezone.localdate()
    due = Recipient.objects.filter(
        answered=False,
        reminded_on__isnull=True,
        survey__sent_at__isnull=False,
        survey__closed_at__isnull=True,
        survey__opens_on__lte=today,
        survey__closes_on__gte=today,
        survey__closes_on__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE_CLOSING),
    ).select_related("survey", "person")
    count = 0
    for recipient in due:
        with transaction.atomic():
            survey = recipient.survey
            notify(
                [recipient.person],
                Kind.SURVEY,
                _("Reminder: the survey %(title)s closes on %(date)s")
                % {
                    "title": survey.title,
                    "date": survey.closes_on.isoformat(),
                },
                survey.get_absolute_url(),
                f"survey-reminder:{survey.pk}",
            )
            Recipient.objects.filter(pk=recipient.pk).update(reminded_on=today)
        count += 1
    return count
