"""Every change to the citizen panel and to residents' feedback: checked, in a transaction, with history that
holds no contact details. Residents are written to only at the address they gave, and only when they asked."""

import datetime
import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.citizens.models import (
    ConsentText,
    Feedback,
    FeedbackUpdate,
    Invitation,
    PanelMember,
    PanelSettings,
)
from tillit.core.history import label_actions, label_values, record
from tillit.decisions.models import Decision, Proposal
from tillit.decisions.services import proposal_closed, proposal_create
from tillit.dialogue.models import Dialogue
from tillit.labs.models import Idea
from tillit.labs.services import idea_moved, idea_submit
from tillit.notifications.services import emails_enabled
from tillit.organisation.models import Team

logger = logging.getLogger(__name__)

label_values("status", Feedback.Status.choices)
label_actions(
    {
        "panel.consent_published": gettext_lazy("New consent text published"),
        "panel.settings_changed": gettext_lazy("Retention rule changed"),
        "panel.member_joined": gettext_lazy("A resident joined the panel"),
        "panel.member_left": gettext_lazy("A resident left the panel"),
        "panel.member_removed": gettext_lazy("A resident was removed by the retention rule"),
        "panel.invitation_sent": gettext_lazy("Panel invitation sent"),
        "feedback.received": gettext_lazy("Feedback received"),
        "feedback.status": gettext_lazy("Feedback moved on"),
        "feedback.answered": gettext_lazy("Feedback answered"),
    }
)


def _send(address: str, subject: str, body: str) -> None:
    """One e-mail to a resident, after the data is saved; a failure is logged, never shown to someone else."""
    if not address or not emails_enabled():
        return

    def send() -> None:
        try:
            send_mail(subject, body, None, [address])
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not send an e-mail to a resident")

    transaction.on_commit(send)


# Consent and retention.


@transaction.atomic
def consent_publish(*, actor: Any, text_sv: str, text_en: str) -> ConsentText:
    if not text_sv.strip() or not text_en.strip():
        raise ValidationError(_("Write the text in both Swedish and English."))
    last = ConsentText.objects.order_by("-version").first()
    consent = ConsentText(
        version=(last.version + 1) if last else 1, text_sv=text_sv, text_en=text_en, published_by=actor
    )
    consent.full_clean()
    consent.save()
    record(actor=actor, obj=consent, action="panel.consent_published", changes={"version": consent.version})
    return consent


def current_consent() -> ConsentText | None:
    return ConsentText.objects.order_by("-version").first()


@transaction.atomic
def settings_update(*, actor: Any, retention_months: int) -> PanelSettings:
    current = PanelSettings.current()
    before = current.retention_months
    current.retention_months = retention_months
    current.full_clean()
    current.save()
    if before != retention_months:
        record(
            actor=actor,
            obj=current,
            action="panel.settings_changed",
            changes={"retention_months": [before, retention_months]},
        )
    return current


# The panel.

MEMBER_FIELDS = ("name", "email", "phone", "area")


def _member_link(member: PanelMember) -> str:
    return settings.SITE_URL + member.get_absolute_url()


@transaction.atomic
def member_join(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    area: str = "",
    services: Iterable[Team] = (),
    consent_version: int | None,
    consented: bool,
) -> PanelMember:
    """A resident joins with the version of the consent text they were shown; if a newer one was published
    meanwhile, they are asked to read it first."""
    if not consented:
        raise ValidationError({"consented": _("You join only if you agree to how we keep your details.")})
    consent = current_consent()
    if consent is None or consent.version != consent_version:
        raise ValidationError(_("The consent text has just changed. Read the new one and join again."))
    now = timezone.now()
    member = PanelMember(
        name=name, email=email, phone=phone, area=area, consent=consent, consented_at=now, last_active_at=now
    )
    member.full_clean()
    member.save()
    member.services.set(services)
    record(actor=None, obj=member, action="panel.member_joined", changes={"consent": consent.version})
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            email,
            _("Welcome to the citizen panel"),
            _(
                "Thank you for joining the citizen panel. Your own page, where you see, change, download or"
                " delete everything we keep about you: %(url)s\n\nKeep this link to yourself."
            )
            % {"url": _member_link(member)},
        )
    return member


@transaction.atomic
def member_update(*, member: PanelMember, services: Iterable[Team], **fields: Any) -> PanelMember:
    for name in MEMBER_FIELDS:
        if name in fields:
            setattr(member, name, fields[name])
    member.last_active_at = timezone.now()
    member.full_clean()
    member.save()
    member.services.set(services)
    return member


def member_touch(member: PanelMember) -> None:
    """The resident used their page: the retention period starts again."""
    PanelMember.objects.filter(pk=member.pk).update(last_active_at=timezone.now())


def member_export(member: PanelMember) -> dict[str, Any]:
    """Everything Tillit keeps about the resident, as they can download it."""
    return {
        "name": member.name,
        "email": member.email,
        "phone": member.phone,
        "area": member.area,
        "services": [team.name for team in member.services.all()],
        "consent": {
            "version": member.consent.version,
            "consented_at": member.consented_at.isoformat(),
            "text_sv": member.consent.text_sv,
            "text_en": member.consent.text_en,
        },
        "joined_at": member.joined_at.isoformat(),
        "last_active_at": member.last_active_at.isoformat(),
        "invitations": [
            {"title": i.title, "team": i.team.name, "starts_at": i.starts_at.isoformat(), "place": i.place}
            for i in member.invitations.select_related("team")
        ],
        "feedback": [
            {
                "service": f.team.name,
                "text": f.text,
                "anonymous": f.anonymous,
                "public": f.public,
                "status": f.status,
                "answer": f.answer,
                "received": f.created_at.isoformat(),
                "name": f.name,
                "email": f.email,
            }
            for f in member.feedback.select_related("team")
        ],
    }


def _forget(member: PanelMember, action: str) -> None:
    """The member and their contact details go; what they contributed stays, without who wrote it."""
    Feedback.objects.filter(member=member).update(member=None, name="", email="")
    member.invitations.clear()
    member.services.clear()
    record(actor=None, obj=member, action=action, changes={})
    member.delete()


@transaction.atomic
def member_leave(*, member: PanelMember) -> None:
    _forget(member, "panel.member_left")


def member_send_link(*, email: str) -> None:
    """The personal link again, to the address it belongs to. The page says the same whether or not the address
    is in the panel, so that no one can find out who is."""
    with translation.override(settings.LANGUAGE_CODE):
        for member in PanelMember.objects.filter(email__iexact=email.strip()):
            _send(
                member.email,
                _("Your page in the citizen panel"),
                _("Your own page in the citizen panel: %(url)s") % {"url": _member_link(member)},
            )


# Invitations.


def invitation_recipients(services: Iterable[Team]) -> Any:
    chosen = [team.pk for team in services]
    members = PanelMember.objects.all()
    if chosen:
        members = members.filter(services__in=chosen).distinct()
    return members


@transaction.atomic
def invitation_send(*, actor: Any, team: Team, services: Iterable[Team] = (), **fields: Any) -> Invitation:
    services = list(services)
    invitation = Invitation(team=team, created_by=actor, **fields)
    if invitation.starts_at and invitation.starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    if invitation.kind == Invitation.Kind.DIALOGUE and invitation.dialogue is None:
        raise ValidationError({"dialogue": _("Choose the dialogue the panel is invited to.")})
    if invitation.dialogue is not None and invitation.dialogue.audience != Dialogue.Audience.ANYONE:
        raise ValidationError(
            {"dialogue": _("Residents can join only a dialogue open to anyone with the join code.")}
        )
    invitation.full_clean()
    invitation.save()
    invitation.services.set(services)
    recipients = list(invitation_recipients(services))
    if not recipients:
        raise ValidationError(
            _("No one in the panel cares about these services yet: no one would be invited.")
        )
    invitation.members.set(recipients)
    record(
        actor=actor, obj=invitation, action="panel.invitation_sent", changes={"recipients": len(recipients)}
    )
    when = timezone.localtime(invitation.starts_at)
    with translation.override(settings.LANGUAGE_CODE):
        for member in recipients:
            link = _member_link(member)
            _send(
                member.email,
                _("Invitation: %(title)s") % {"title": invitation.title},
                _(
                    "%(team)s invites you to %(title)s, %(when)s %(place)s.\n\n%(description)s\n\nSee it on your page: %(url)s"
                )
                % {
                    "team": team.name,
                    "title": invitation.title,
                    "when": when.strftime("%Y-%m-%d %H:%M"),
                    "place": invitation.place,
                    "description": invitation.description,
                    "url": link,
                },
            )
    return invitation


# Feedback and what came of it.


@transaction.atomic
def feedback_submit(
    *,
    team: Team,
    text: str,
    anonymous: bool = False,
    member: PanelMember | None = None,
    name: str = "",
    email: str = "",
    public: bool = False,
) -> Feedback:
    """Anonymous feedback keeps nothing about who gave it: no name, no address, no panel membership."""
    if anonymous:
        member, name, email = None, "", ""
    feedback = Feedback(
        team=team, text=text, anonymous=anonymous, member=member, name=name, email=email, public=public
    )
    feedback.full_clean()
    feedback.save()
    FeedbackUpdate.objects.create(feedback=feedback, status=Feedback.Status.RECEIVED)
    record(actor=None, obj=feedback, action="feedback.received", changes={"service": team.name})
    if member is not None:
        member_touch(member)
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            email,
            _("Thank you for your feedback"),
            _("We have received your feedback to %(team)s. Follow what comes of it: %(url)s")
            % {"team": team.name, "url": settings.SITE_URL + feedback.get_absolute_url()},
        )
    return feedback


BECAME_IDEA = gettext_lazy("It became an idea that the municipality's development leads assess.")
PREPARING = gettext_lazy("The team is preparing a decision on it.")
DECIDED = gettext_lazy("Decided: %(title)s")
WITHDRAWN = gettext_lazy("The proposal was withdrawn; the team considers the feedback again.")


def _said(message: Any) -> str:
    """A message Tillit writes on the resident's page is kept in the site's language, whoever's action it was."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


def _move(feedback: Feedback, status: str, message: str, actor: Any) -> Feedback:
    before = feedback.status
    update = FeedbackUpdate(feedback=feedback, status=status, message=message)
    update.full_clean()
    feedback.status = status
    feedback.save(update_fields=["status", "updated_at"])
    update.save()
    record(actor=actor, obj=feedback, action="feedback.status", changes={"status": [before, status]})
    if status != before:
        with translation.override(settings.LANGUAGE_CODE):
            _send(
                feedback.email,
                _("Your feedback: %(status)s") % {"status": Feedback.Status(status).label},
                _("Your feedback to %(team)s: %(status)s.\n\n%(message)s\n\nSee the whole story: %(url)s")
                % {
                    "team": feedback.team.name,
                    "status": Feedback.Status(status).label,
                    "message": message,
                    "url": settings.SITE_URL + feedback.get_absolute_url(),
                },
            )
    return feedback


MANUAL_STATUSES = (Feedback.Status.CONSIDERING, Feedback.Status.DECLINED)


@transaction.atomic
def feedback_set_status(*, actor: Any, feedback: Feedback, status: str, message: str = "") -> Feedback:
    """The team moves the feedback on. Not taking it forward always says why; becoming an initiative or a
    decision happens through the idea or the proposal it becomes."""
    feedback = Feedback.objects.select_for_update().select_related("team").get(pk=feedback.pk)
    if status not in MANUAL_STATUSES:
        raise ValidationError({"status": _("Choose under consideration or not taken forward.")})
    if status == Feedback.Status.DECLINED and not message.strip():
        raise ValidationError({"message": _("Say why: the resident sees this with the outcome.")})
    if feedback.is_final:
        raise ValidationError(_("What came of this feedback is already settled."))
    return _move(feedback, status, message, actor)


@transaction.atomic
def feedback_answer(*, actor: Any, feedback: Feedback, answer: str) -> Feedback:
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    feedback.answer = answer
    feedback.full_clean()
    feedback.save(update_fields=["answer", "updated_at"])
    record(actor=actor, obj=feedback, action="feedback.answered", changes={"answer": answer})
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            feedback.email,
            _("An answer to your feedback"),
            _("%(team)s has answered your feedback:\n\n%(answer)s\n\n%(url)s")
            % {
                "team": feedback.team.name,
                "answer": answer,
                "url": settings.SITE_URL + feedback.get_absolute_url(),
            },
        )
    return feedback


@transaction.atomic
def feedback_forget_contact(*, feedback: Feedback) -> Feedback:
    """The contributor takes back their name and address; the feedback itself stays."""
    feedback.name, feedback.email = "", ""
    feedback.save(update_fields=["name", "email", "updated_at"])
    return feedback


def _check_open(feedback: Feedback) -> None:
    if feedback.is_final or feedback.idea_id or feedback.proposal_id:
        raise ValidationError(_("This feedback has already been taken on, or what came of it is settled."))


@transaction.atomic
def feedback_to_idea(*, actor: Any, feedback: Feedback, title: str, idea: str, beneficiaries: str) -> Idea:
    """The feedback goes to the idea intake (labs) and follows the idea from there."""
    feedback = Feedback.objects.select_for_update().select_related("team").get(pk=feedback.pk)
    _check_open(feedback)
    created = idea_submit(
        actor=actor,
        title=title,
        problem=feedback.text,
        idea=idea,
        beneficiaries=beneficiaries,
        area=feedback.team.name,
    )
    feedback.idea = created
    feedback.save(update_fields=["idea", "updated_at"])
    _move(
        feedback,
        Feedback.Status.CONSIDERING,
        _said(BECAME_IDEA),
        actor,
    )
    return created


@transaction.atomic
def feedback_to_proposal(*, actor: Any, feedback: Feedback, **fields: Any) -> Proposal:
    """The feedback becomes a proposal in the team (decisions) and follows it to the decision."""
    feedback = Feedback.objects.select_for_update().select_related("team").get(pk=feedback.pk)
    _check_open(feedback)
    proposal = proposal_create(actor=actor, team=feedback.team, **fields)
    feedback.proposal = proposal
    feedback.save(update_fields=["proposal", "updated_at"])
    _move(feedback, Feedback.Status.CONSIDERING, _said(PREPARING), actor)
    return proposal


@receiver(proposal_closed)
def _follow_proposal(
    sender: Any, proposal: Proposal, decision: Decision | None, actor: Any, **kwargs: Any
) -> None:
    for feedback in (
        Feedback.objects.filter(proposal=proposal)
        .exclude(status__in=(Feedback.Status.DECISION,))
        .select_related("team")
    ):
        if decision is not None:
            _move(feedback, Feedback.Status.DECISION, _said(DECIDED) % {"title": proposal.title}, actor)
        else:
            # The team may take the feedback further again, as a new proposal or an idea.
            feedback.proposal = None
            feedback.save(update_fields=["proposal", "updated_at"])
            _move(feedback, Feedback.Status.CONSIDERING, _said(WITHDRAWN), actor)


@receiver(idea_moved)
def _follow_idea(sender: Any, idea: Idea, status: str, message: str, actor: Any, **kwargs: Any) -> None:
    targets: dict[str, str] = {
        Idea.Status.INITIATIVE: Feedback.Status.INITIATIVE,
        Idea.Status.DECLINED: Feedback.Status.DECLINED,
    }
    target = targets.get(status, Feedback.Status.CONSIDERING)
    for feedback in Feedback.objects.filter(idea=idea).select_related("team"):
        if feedback.status != target or message:
            _move(feedback, target, message, actor)


# Retention.


@transaction.atomic
def apply_retention(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Removes panel members inactive for longer than the rule, and the contact details of finished feedback
    unchanged for as long. Returns (members removed, feedback cleared)."""
    months = PanelSettings.current().retention_months
    now = (
        timezone.now()
        if today is None
        else timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    )
    cutoff = now - datetime.timedelta(days=round(months * 30.44))
    stale = list(PanelMember.objects.filter(last_active_at__lt=cutoff))
    for member in stale:
        _forget(member, "panel.member_removed")
    finished = (Feedback.Status.INITIATIVE, Feedback.Status.DECISION, Feedback.Status.DECLINED)
    cleared = (
        Feedback.objects.filter(status__in=finished, updated_at__lt=cutoff)
        .filter(~Q(name="") | ~Q(email=""))
        .update(name="", email="")
    )
    return len(stale), cleared
