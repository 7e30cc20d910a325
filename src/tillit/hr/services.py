"""Every change in hr: checked, in a transaction, with history. Views check who may ask (rules.py); these
functions check what may happen, and check the person again where the rule is the heart of the process.

History of talks and rehabilitation cases names the action and never the content: history rows are read by
administrators, and those processes are private to the people in them."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.core.history import label_actions, label_values, record, save_and_record
from tillit.decisions.models import Decision, Mandate
from tillit.hr.models import (
    Assessment,
    Candidate,
    FeedbackRequest,
    HrSettings,
    Recruitment,
    RecruitmentConflict,
    Reference,
    RehabCase,
    RehabEntry,
    Talk,
)
from tillit.notifications.models import Kind
from tillit.notifications.services import notify
from tillit.organisation.models import Membership, RoleAssignment, Team
from tillit.organisation.selectors import superior_ids

label_values("status", [*Recruitment.Status.choices, *Talk.Status.choices])
label_values("kind", Talk.Kind.choices)
label_actions(
    {
        "hr.settings_changed": gettext_lazy("Retention rules changed"),
        "recruitment.created": gettext_lazy("Recruitment started"),
        "recruitment.changed": gettext_lazy("Recruitment changed"),
        "recruitment.status_changed": gettext_lazy("Recruitment moved on"),
        "recruitment.candidate_added": gettext_lazy("Candidate added"),
        "recruitment.assessed": gettext_lazy("Candidate assessed"),
        "recruitment.reference_added": gettext_lazy("Reference taken"),
        "recruitment.conflict_declared": gettext_lazy("Conflict of interest declared"),
        "recruitment.decided": gettext_lazy("Recruitment decided"),
        "recruitment.cancelled": gettext_lazy("Recruitment cancelled"),
        "recruitment.candidate_removed": gettext_lazy("A candidate's data removed"),
        "recruitment.candidates_erased": gettext_lazy("Candidates' data erased by the retention rule"),
        "talk.created": gettext_lazy("Talk booked"),
        "talk.prepared": gettext_lazy("Preparation changed"),
        "talk.feedback_asked": gettext_lazy("Feedback asked"),
        "talk.feedback_answered": gettext_lazy("Feedback answered"),
        "talk.feedback_shared": gettext_lazy("Sharing of a feedback answer changed"),
        "talk.outcome_recorded": gettext_lazy("Outcome recorded"),
        "talk.agreed": gettext_lazy("Outcome agreed"),
        "rehab.opened": gettext_lazy("Rehabilitation case opened"),
        "rehab.entry_added": gettext_lazy("Entry added"),
        "rehab.closed": gettext_lazy("Rehabilitation case closed"),
        "rehab.erased": gettext_lazy("Rehabilitation case erased by the retention rule"),
    }
)

RECRUITMENT_FIELDS = ("title", "need", "decision", "requirements", "advert", "delegate")


def _months_ago(months: int, now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    year, month = divmod(now.month - 1 - months, 12)
    target_month = month + 1
    target_year = now.year + year
    day = min(now.day, 28)
    return now.replace(year=target_year, month=target_month, day=day)


# Retention settings.


@transaction.atomic
def settings_update(
    *, actor: Any, candidate_retention_months: int, rehab_retention_months: int
) -> HrSettings:
    if not actor.has_perm("hr.manage_settings"):
        raise PermissionDenied
    found = HrSettings.load()
    return save_and_record(
        found,
        actor=actor,
        action="hr.settings_changed",
        tracked=("candidate_retention_months", "rehab_retention_months"),
        fields={
            "candidate_retention_months": candidate_retention_months,
            "rehab_retention_months": rehab_retention_months,
        },
    )


# Recruitment.


def _number(candidate: Candidate) -> str:
    """How history names a candidate: by number, as history is read more widely than candidates are."""
    return str(_("Candidate %(number)s") % {"number": candidate.number})


def staff_delegate(team: Team) -> Any:
    """The delegate of the team's staff mandate in force, if there is one."""
    mandate = (
        Mandate.objects.filter(team=team, category=Mandate.Category.STAFF, active=True)
        .select_related("delegate")
        .order_by("-pk")
        .first()
    )
    return mandate.delegate if mandate is not None else None


def _check_recruitment(recruitment: Recruitment) -> None:
    errors: dict[str, Any] = {}
    decision = recruitment.decision
    if decision is not None and decision.team_id != recruitment.team_id:
        errors["decision"] = _("The decision belongs to another team.")
    if not recruitment.requirement_list:
        errors["requirements"] = _("Write at least one requirement, one per line.")
    if errors:
        raise ValidationError(errors)


def _check_panel(team: Team, panel: Iterable[Any]) -> list[Any]:
    panel = list(panel)
    in_team = set(Membership.objects.filter(team=team).values_list("person_id", flat=True))
    outside = [person for person in panel if person.pk not in in_team]
    if outside:
        raise ValidationError(
            {
                "panel": _("The panel is chosen from the team: %(names)s is not in it.")
                % {"names": ", ".join(str(person) for person in outside)}
            }
        )
    return panel


def _record_panel(actor: Any, recruitment: Recruitment, before: set[str]) -> None:
    after = {str(person) for person in recruitment.panel.all()}
    if before != after:
        record(
            actor=actor,
            obj=recruitment,
            action="recruitment.changed",
            changes={"panel": [", ".join(sorted(before)), ", ".join(sorted(after))]},
        )


@transaction.atomic
def recruitment_create(
    *,
    actor: Any,
    team: Team,
    title: str,
    need: str,
    requirements: str,
    decision: Decision | None = None,
    advert: str = "",
    delegate: Any = None,
    panel: Iterable[Any] = (),
) -> Recruitment:
    if not Membership.objects.filter(team=team, person=actor).exists():
        raise ValidationError(_("A recruitment is started by the team itself: you are not in this team."))
    delegate = delegate or staff_delegate(team)
    if delegate is None:
        raise ValidationError(
            {"delegate": _("The team has no staff mandate in force: name the person who decides.")}
        )
    chosen_panel = _check_panel(team, panel)
    recruitment = Recruitment(team=team, created_by=actor)
    save_and_record(
        recruitment,
        actor=actor,
        action="recruitment.created",
        tracked=(*RECRUITMENT_FIELDS, "status"),
        fields={
            "title": title,
            "need": need,
            "requirements": requirements,
            "decision": decision,
            "advert": advert,
            "delegate": delegate,
        },
        check=_check_recruitment,
    )
    recruitment.panel.set(chosen_panel)
    _record_panel(actor, recruitment, set())
    return recruitment


def _locked_recruitment(recruitment: Recruitment) -> Recruitment:
    return Recruitment.objects.select_for_update().select_related("team").get(pk=recruitment.pk)


@transaction.atomic
def recruitment_update(
    *, actor: Any, recruitment: Recruitment, panel: Iterable[Any] | None = None, **fields: Any
) -> Recruitment:
    unknown = set(fields) - set(RECRUITMENT_FIELDS)
    if unknown:
        raise TypeError(f"Not a recruitment field: {', '.join(sorted(unknown))}")
    recruitment = _locked_recruitment(recruitment)
    if recruitment.is_closed:
        raise ValidationError(_("The recruitment is closed."))
    if (
        "requirements" in fields
        and recruitment.status == Recruitment.Status.ASSESSING
        and (
            fields["requirements"] != recruitment.requirements
            and recruitment.candidates.filter(assessments__isnull=False).exists()
        )
    ):
        raise ValidationError(
            {"requirements": _("The panel has started to assess: the requirements can no longer change.")}
        )
    if fields.get("delegate") is None:
        fields.pop("delegate", None)
    save_and_record(
        recruitment,
        actor=actor,
        action="recruitment.changed",
        tracked=RECRUITMENT_FIELDS,
        fields=fields,
        check=_check_recruitment,
    )
    if panel is not None:
        before = {str(person) for person in recruitment.panel.all()}
        recruitment.panel.set(_check_panel(recruitment.team, panel))
        _record_panel(actor, recruitment, before)
    return recruitment


NEXT_STATUS = {
    Recruitment.Status.NEED: Recruitment.Status.ADVERT,
    Recruitment.Status.ADVERT: Recruitment.Status.ASSESSING,
}


@transaction.atomic
def recruitment_advance(*, actor: Any, recruitment: Recruitment) -> Recruitment:
    """Need → advertised (with an advert) → assessing (with a panel and at least one candidate)."""
    recruitment = _locked_recruitment(recruitment)
    following = NEXT_STATUS.get(Recruitment.Status(recruitment.status))
    if following is None:
        raise ValidationError(_("The recruitment cannot move on from here."))
    if following == Recruitment.Status.ADVERT and not recruitment.advert.strip():
        raise ValidationError(_("Write the advert before the recruitment is advertised."))
    if following == Recruitment.Status.ASSESSING:
        if not recruitment.panel.exists():
            raise ValidationError(_("Choose the interview panel before the assessment starts."))
        if not recruitment.candidates.exists():
            raise ValidationError(_("Add at least one candidate before the assessment starts."))
    advanced = save_and_record(
        recruitment,
        actor=actor,
        action="recruitment.status_changed",
        tracked=("status",),
        fields={"status": following},
    )
    if following == Recruitment.Status.ASSESSING:
        notify(
            advanced.panel.all(),
            Kind.HR,
            _("Candidates wait for your assessment: %(title)s") % {"title": advanced.title},
            advanced.get_absolute_url(),
            f"recruitment:{advanced.pk}:assess",
        )
    return advanced


@transaction.atomic
def recruitment_cancel(*, actor: Any, recruitment: Recruitment) -> Recruitment:
    recruitment = _locked_recruitment(recruitment)
    if recruitment.is_closed:
        raise ValidationError(_("The recruitment is already closed."))
    return save_and_record(
        recruitment,
        actor=actor,
        action="recruitment.cancelled",
        tracked=("status",),
        fields={"status": Recruitment.Status.CANCELLED, "decided_at": timezone.now()},
    )


@transaction.atomic
def candidate_add(
    *, actor: Any, recruitment: Recruitment, name: str, email: str = "", phone: str = "", summary: str = ""
) -> Candidate:
    recruitment = _locked_recruitment(recruitment)
    if recruitment.is_closed:
        raise ValidationError(_("The recruitment is closed."))
    number = (recruitment.candidates.aggregate(last=Max("number"))["last"] or 0) + 1
    candidate = Candidate(
        recruitment=recruitment, number=number, name=name, email=email, phone=phone, summary=summary
    )
    candidate.full_clean()
    candidate.save()
    # The candidate's number only: history is read more widely than the candidates are.
    record(
        actor=actor,
        obj=recruitment,
        action="recruitment.candidate_added",
        changes={"candidate": _number(candidate)},
    )
    return candidate


def has_conflict(recruitment: Recruitment, person: Any, candidate: Candidate | None = None) -> bool:
    conflicts = RecruitmentConflict.objects.filter(recruitment=recruitment, person=person)
    if candidate is None:
        return conflicts.exists()
    return conflicts.filter(candidate__isnull=True).exists() or conflicts.filter(candidate=candidate).exists()


@transaction.atomic
def conflict_declare(
    *, actor: Any, recruitment: Recruitment, reason: str, candidate: Candidate | None = None
) -> RecruitmentConflict:
    """The person declares their own conflict of interest (jäv), for one candidate or the whole matter."""
    if candidate is not None and candidate.recruitment_id != recruitment.pk:
        raise ValidationError(_("The candidate belongs to another recruitment."))
    if RecruitmentConflict.objects.filter(
        recruitment=recruitment, person=actor, candidate=candidate
    ).exists():
        raise ValidationError(_("You have already declared this conflict."))
    conflict = RecruitmentConflict(recruitment=recruitment, person=actor, candidate=candidate, reason=reason)
    conflict.full_clean()
    conflict.save()
    record(
        actor=actor,
        obj=recruitment,
        action="recruitment.conflict_declared",
        changes={"person": str(actor), "candidate": _number(candidate) if candidate else "–"},
    )
    return conflict


@dataclass
class ScoreInput:
    requirement: int
    score: int
    comment: str = ""


@transaction.atomic
def assessment_save(*, actor: Any, candidate: Candidate, scores: Iterable[ScoreInput]) -> list[Assessment]:
    """A panel member's scores of one candidate, one per requirement; saving again replaces them."""
    recruitment = _locked_recruitment(candidate.recruitment)
    if recruitment.status != Recruitment.Status.ASSESSING:
        raise ValidationError(_("Candidates are assessed while the recruitment is in assessment."))
    if not recruitment.panel.filter(pk=actor.pk).exists():
        raise PermissionDenied
    if candidate.removed_at is not None:
        raise ValidationError(_("This candidate's data has been removed."))
    if has_conflict(recruitment, actor, candidate):
        raise ValidationError(
            _("You have declared a conflict of interest: you do not assess this candidate.")
        )
    count = len(recruitment.requirement_list)
    saved = []
    for item in scores:
        if not 0 <= item.requirement < count:
            raise ValidationError(_("There is no such requirement."))
        assessment, _created = Assessment.objects.update_or_create(
            candidate=candidate,
            assessor=actor,
            requirement=item.requirement,
            defaults={"score": item.score, "comment": item.comment},
        )
        assessment.full_clean()
        saved.append(assessment)
    record(
        actor=actor,
        obj=recruitment,
        action="recruitment.assessed",
        changes={"candidate": _number(candidate)},
    )
    return saved


@transaction.atomic
def reference_add(*, actor: Any, candidate: Candidate, referee: str, relation: str, notes: str) -> Reference:
    recruitment = _locked_recruitment(candidate.recruitment)
    if recruitment.is_closed:
        raise ValidationError(_("The recruitment is closed."))
    if candidate.removed_at is not None:
        raise ValidationError(_("This candidate's data has been removed."))
    reference = Reference(
        candidate=candidate, referee=referee, relation=relation, notes=notes, added_by=actor
    )
    reference.full_clean()
    reference.save()
    record(
        actor=actor,
        obj=recruitment,
        action="recruitment.reference_added",
        changes={"candidate": _number(candidate)},
    )
    return reference


@transaction.atomic
def recruitment_decide(
    *, actor: Any, recruitment: Recruitment, chosen: Candidate, reasoning: str
) -> Recruitment:
    """The named delegate decides (a group cannot be delegated a decision); the recruitment is then closed."""
    recruitment = _locked_recruitment(recruitment)
    if actor.pk != recruitment.delegate_id:
        raise PermissionDenied
    if recruitment.status != Recruitment.Status.ASSESSING:
        raise ValidationError(_("The recruitment is decided after the assessment."))
    if has_conflict(recruitment, actor):
        raise ValidationError(
            _(
                "You have declared a conflict of interest in this recruitment, so you may not decide it: the"
                " team names another person who decides, e.g. the mandate's deputy."
            )
        )
    if chosen.recruitment_id != recruitment.pk or chosen.removed_at is not None:
        raise ValidationError({"chosen": _("Choose one of this recruitment's candidates.")})
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Give the reasons for the decision.")})
    recruitment.status = Recruitment.Status.DECIDED
    recruitment.chosen = chosen
    recruitment.reasoning = reasoning
    recruitment.decided_at = timezone.now()
    recruitment.full_clean()
    recruitment.save()
    # The candidate's number, not the reasoning: the team reads the history, the reasoning names candidates.
    record(
        actor=actor,
        obj=recruitment,
        action="recruitment.decided",
        changes={"status": recruitment.status, "chosen": _number(chosen)},
    )
    return recruitment


def _erase_candidate(candidate: Candidate, when: datetime.datetime) -> None:
    """The person is gone from the candidate: name, contact data, summary, references and every comment.
    The scores stay, anonymous, so that the recruitment's record still shows how the decision was reached."""
    candidate.name = ""
    candidate.email = ""
    candidate.phone = ""
    candidate.summary = ""
    candidate.removed_at = when
    candidate.save(update_fields=["name", "email", "phone", "summary", "removed_at"])
    candidate.references.all().delete()
    candidate.assessments.update(comment="")
    candidate.conflicts.update(reason="")


@transaction.atomic
def candidate_remove_data(*, actor: Any, candidate: Candidate) -> Candidate:
    """At the candidate's request: by the delegate or an HR specialist."""
    recruitment = _locked_recruitment(candidate.recruitment)
    if not actor.has_perm("hr.remove_candidate_data", recruitment):
        raise PermissionDenied
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.removed_at is not None:
        raise ValidationError(_("This candidate's data has already been removed."))
    _erase_candidate(candidate, timezone.now())
    if recruitment.chosen_id == candidate.pk and recruitment.reasoning:
        recruitment.reasoning = ""
        recruitment.save(update_fields=["reasoning"])
    record(
        actor=actor,
        obj=recruitment,
        action="recruitment.candidate_removed",
        changes={"candidate": _number(candidate)},
    )
    return candidate


# Talks.


@transaction.atomic
def talk_create(*, actor: Any, kind: str, date: datetime.date, counterpart: Any) -> Talk:
    """The employee books their own talk, with one of their coaches or a manager above them."""
    if counterpart.pk not in counterpart_ids(actor):
        raise ValidationError({"counterpart": _("Choose one of your coaches or a manager above you.")})
    talk = save_and_record(
        Talk(employee=actor),
        actor=actor,
        action="talk.created",
        tracked=("kind", "date"),
        fields={"kind": kind, "date": date, "counterpart": counterpart},
    )
    notify(
        [counterpart],
        Kind.HR,
        _("%(name)s has booked a talk with you on %(date)s") % {"name": actor, "date": date.isoformat()},
        talk.get_absolute_url(),
        f"talk:{talk.pk}:booked",
    )
    return talk


def counterpart_ids(person: Any) -> set[int]:
    coaches = Membership.objects.filter(
        team__memberships__person=person, role=Membership.Role.COACH
    ).values_list("person_id", flat=True)
    return (set(coaches) | superior_ids(person)) - {person.pk}


def _locked_talk(talk: Talk) -> Talk:
    return Talk.objects.select_for_update().get(pk=talk.pk)


def _require_employee(actor: Any, talk: Talk) -> None:
    if actor.pk != talk.employee_id:
        raise PermissionDenied
    if talk.status == Talk.Status.AGREED:
        raise ValidationError(_("The talk is agreed and closed."))


@transaction.atomic
def talk_prepare(*, actor: Any, talk: Talk, preparation: str, preparation_shared: bool) -> Talk:
    talk = _locked_talk(talk)
    _require_employee(actor, talk)
    changes = {}
    if talk.preparation_shared != preparation_shared:
        changes["preparation_shared"] = [talk.preparation_shared, preparation_shared]
    talk.preparation = preparation
    talk.preparation_shared = preparation_shared
    talk.full_clean()
    talk.save()
    record(actor=actor, obj=talk, action="talk.prepared", changes=changes)
    return talk


@transaction.atomic
def feedback_ask(*, actor: Any, talk: Talk, colleague: Any, question: str) -> FeedbackRequest:
    talk = _locked_talk(talk)
    _require_employee(actor, talk)
    if colleague.pk in (talk.employee_id, talk.counterpart_id):
        raise ValidationError({"colleague": _("Ask a colleague: not yourself or the person you meet.")})
    if talk.feedback_requests.filter(colleague=colleague).exists():
        raise ValidationError({"colleague": _("You have already asked this colleague.")})
    request = FeedbackRequest(talk=talk, colleague=colleague, question=question)
    request.full_clean()
    request.save()
    record(actor=actor, obj=talk, action="talk.feedback_asked")
    notify(
        [colleague],
        Kind.HR,
        _("%(name)s asks for your feedback before a talk") % {"name": actor},
        request.get_absolute_url(),
        f"talk-feedback:{request.pk}",
    )
    return request


@transaction.atomic
def feedback_answer(*, actor: Any, feedback: FeedbackRequest, answer: str) -> FeedbackRequest:
    request = FeedbackRequest.objects.select_for_update().select_related("talk").get(pk=feedback.pk)
    if actor.pk != request.colleague_id:
        raise PermissionDenied
    if request.talk.status == Talk.Status.AGREED:
        raise ValidationError(_("The talk is agreed and closed."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write your answer.")})
    request.answer = answer
    request.answered_at = timezone.now()
    request.full_clean()
    request.save()
    record(actor=actor, obj=request.talk, action="talk.feedback_answered")
    return request


@transaction.atomic
def feedback_share(*, actor: Any, feedback: FeedbackRequest, shared: bool) -> FeedbackRequest:
    """The employee chooses, per answer, whether the person they meet may read it."""
    request = FeedbackRequest.objects.select_for_update().select_related("talk").get(pk=feedback.pk)
    _require_employee(actor, request.talk)
    if shared and not request.answered_at:
        raise ValidationError(_("The colleague has not answered yet."))
    if request.shared != shared:
        request.shared = shared
        request.save(update_fields=["shared"])
        record(actor=actor, obj=request.talk, action="talk.feedback_shared")
    return request


@transaction.atomic
def talk_record_outcome(*, actor: Any, talk: Talk, outcome: str) -> Talk:
    talk = _locked_talk(talk)
    if actor.pk != talk.counterpart_id:
        raise PermissionDenied
    if talk.status == Talk.Status.AGREED:
        raise ValidationError(_("The talk is agreed and closed."))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write what you agreed.")})
    talk.outcome = outcome
    talk.outcome_recorded_at = timezone.now()
    talk.status = Talk.Status.HELD
    talk.full_clean()
    talk.save()
    record(actor=actor, obj=talk, action="talk.outcome_recorded")
    notify(
        [talk.employee],
        Kind.HR,
        _("The outcome of your talk is recorded: read it and confirm it"),
        talk.get_absolute_url(),
        f"talk:{talk.pk}:outcome:{talk.outcome_recorded_at:%Y%m%d%H%M%S}",
    )
    return talk


@transaction.atomic
def talk_confirm(*, actor: Any, talk: Talk) -> Talk:
    talk = _locked_talk(talk)
    if actor.pk != talk.employee_id:
        raise PermissionDenied
    if talk.status != Talk.Status.HELD:
        raise ValidationError(_("There is no recorded outcome to confirm."))
    talk.status = Talk.Status.AGREED
    talk.agreed_at = timezone.now()
    talk.save(update_fields=["status", "agreed_at"])
    record(actor=actor, obj=talk, action="talk.agreed")
    return talk


# Rehabilitation.


def _has_role(person: Any, role: str) -> bool:
    return RoleAssignment.objects.filter(person=person, role=role).exists()


@transaction.atomic
def rehab_open(*, actor: Any, employee: Any, manager: Any, hr_contact: Any) -> RehabCase:
    """Opened by a manager above the employee or by an HR specialist."""
    superiors = superior_ids(employee)
    if not (actor.pk in superiors or _has_role(actor, RoleAssignment.Role.HR)):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    if manager.pk not in superiors:
        errors["manager"] = _("The responsible manager is a manager above the employee.")
    if not _has_role(hr_contact, RoleAssignment.Role.HR):
        errors["hr_contact"] = _("The HR contact is an HR specialist.")
    if employee.pk in (manager.pk, hr_contact.pk):
        errors["employee"] = _("The employee cannot be their own manager or HR contact in the case.")
    if errors:
        raise ValidationError(errors)
    case = RehabCase.objects.create(
        employee=employee, manager=manager, hr_contact=hr_contact, opened_by=actor
    )
    record(actor=actor, obj=case, action="rehab.opened")
    return case


@transaction.atomic
def rehab_add_entry(
    *, actor: Any, case: RehabCase, kind: str, text: str, follow_up_on: datetime.date | None = None
) -> RehabEntry:
    case = RehabCase.objects.select_for_update().get(pk=case.pk)
    if actor.pk not in (case.manager_id, case.hr_contact_id):
        raise PermissionDenied
    if not case.is_open:
        raise ValidationError(_("The case is closed."))
    if kind == RehabEntry.Kind.FOLLOW_UP and follow_up_on is None:
        raise ValidationError({"follow_up_on": _("Give the date of the follow-up.")})
    entry = RehabEntry(case=case, kind=kind, text=text, follow_up_on=follow_up_on, author=actor)
    entry.full_clean()
    entry.save()
    record(actor=actor, obj=case, action="rehab.entry_added")
    return entry


@transaction.atomic
def rehab_close(*, actor: Any, case: RehabCase) -> RehabCase:
    case = RehabCase.objects.select_for_update().get(pk=case.pk)
    if actor.pk not in (case.manager_id, case.hr_contact_id):
        raise PermissionDenied
    if not case.is_open:
        raise ValidationError(_("The case is already closed."))
    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at"])
    record(actor=actor, obj=case, action="rehab.closed")
    return case


def rehab_log_view(*, case: RehabCase, person: Any) -> None:
    """Called by the selector that shows the case page, after it has checked that the person may see it."""
    case.accesses.create(person=person)


# Retention.


@dataclass
class RetentionResult:
    recruitments: list[str] = field(default_factory=list)
    candidates: int = 0
    rehab_cases: int = 0


@transaction.atomic
def retention_run(*, now: datetime.datetime | None = None) -> RetentionResult:
    """Erases what the retention rules say is due: the data of candidates not hired, once the recruitment was
    decided (or cancelled) longer ago than the rule says; closed rehabilitation cases, with their entries and
    access log, once closed longer ago than the rule says."""
    now = now or timezone.now()
    rules = HrSettings.load()
    result = RetentionResult()
    due = Recruitment.objects.filter(
        decided_at__lt=_months_ago(rules.candidate_retention_months, now), candidates_erased_at__isnull=True
    ).select_for_update()
    for recruitment in due:
        count = 0
        not_hired = recruitment.candidates.filter(removed_at__isnull=True)
        if recruitment.chosen_id is not None:
            not_hired = not_hired.exclude(pk=recruitment.chosen_id)
        for candidate in not_hired:
            _erase_candidate(candidate, now)
            count += 1
        recruitment.candidates_erased_at = now
        recruitment.save(update_fields=["candidates_erased_at"])
        record(
            actor=None, obj=recruitment, action="recruitment.candidates_erased", changes={"candidates": count}
        )
        result.recruitments.append(str(recruitment))
        result.candidates += count
    for case in RehabCase.objects.filter(closed_at__lt=_months_ago(rules.rehab_retention_months, now)):
        record(actor=None, obj=case, action="rehab.erased")
        case.delete()
        result.rehab_cases += 1
    return result
