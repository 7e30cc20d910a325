"""Every change to the organisation goes through these functions: validated, in a transaction, with history."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.accounts.models import User
from tillit.core.history import label_actions, label_values, record, save_and_record, snapshot
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit
from tillit.organisation.selectors import unit_descendant_ids

label_values("kind", Unit.Kind.choices)
label_values("role", [*Membership.Role.choices, *RoleAssignment.Role.choices])
label_actions(
    {
        "unit.created": gettext_lazy("Unit created"),
        "unit.changed": gettext_lazy("Unit changed"),
        "unit.removed": gettext_lazy("Unit removed"),
        "unit.generated": gettext_lazy("Organisation generated"),
        "team.created": gettext_lazy("Team created"),
        "team.changed": gettext_lazy("Team changed"),
        "team.member_added": gettext_lazy("Member added"),
        "team.member_role_changed": gettext_lazy("Role in team changed"),
        "team.member_removed": gettext_lazy("Member removed"),
        "person.created": gettext_lazy("Person added"),
        "person.changed": gettext_lazy("Person changed"),
        "person.deactivated": gettext_lazy("Account deactivated"),
        "person.reactivated": gettext_lazy("Account reactivated"),
        "person.role_assigned": gettext_lazy("Role given"),
        "person.role_revoked": gettext_lazy("Role removed"),
    }
)

UNIT_FIELDS = ("name", "kind", "parent", "description")
TEAM_FIELDS = ("name", "unit", "purpose")
PERSON_FIELDS = ("full_name", "email", "title")


def unique_slug(model: type[models.Model], name: str, *, exclude_pk: int | None = None) -> str:
    """A slug made from the name that no other row of the model has."""
    base = slugify(name)[:180] or "x"
    slug, n = base, 1
    taken = model._default_manager.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    existing = set(taken.values_list("slug", flat=True))
    while slug in existing:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_parent(unit: Unit) -> None:
    parent = unit.parent
    if unit.kind == Unit.Kind.MUNICIPALITY:
        if parent is not None:
            raise ValidationError({"parent": _("The municipality is the top of the tree and has no parent.")})
        return
    if parent is None:
        raise ValidationError({"parent": _("Choose which part of the organisation this unit belongs to.")})
    if unit.pk and (parent.pk == unit.pk or parent.pk in unit_descendant_ids(unit)):
        raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own units.")})


@transaction.atomic
def unit_create(*, actor: Any, name: str, kind: str, parent: Unit | None, description: str = "") -> Unit:
    unit = Unit(name=name, kind=kind, parent=parent, description=description, slug=unique_slug(Unit, name))
    return save_and_record(unit, actor=actor, action="unit.created", tracked=UNIT_FIELDS, check=_check_parent)


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **fields: Any) -> Unit:
    return save_and_record(
        unit, actor=actor, action="unit.changed", tracked=UNIT_FIELDS, fields=fields, check=_check_parent
    )


@transaction.atomic
def unit_remove(*, actor: Any, unit: Unit) -> None:
    if unit.children.exists() or unit.teams.exists():
        raise ValidationError(_("Move or remove the units and teams under %(unit)s first.") % {"unit": unit})
    if unit.kind == Unit.Kind.MUNICIPALITY:
        raise ValidationError(_("The municipality at the top of the tree cannot be removed."))
    record(actor=actor, obj=unit, action="unit.removed", changes=snapshot(unit, UNIT_FIELDS))
    unit.delete()


@transaction.atomic
def team_create(*, actor: Any, name: str, unit: Unit, purpose: str = "") -> Team:
    team = Team(name=name, unit=unit, purpose=purpose, slug=unique_slug(Team, name))
    return save_and_record(team, actor=actor, action="team.created", tracked=TEAM_FIELDS)


@transaction.atomic
def team_update(*, actor: Any, team: Team, **fields: Any) -> Team:
    return save_and_record(team, actor=actor, action="team.changed", tracked=TEAM_FIELDS, fields=fields)


@transaction.atomic
def membership_add(*, actor: Any, team: Team, person: User, role: str = Membership.Role.MEMBER) -> Membership:
    membership = Membership(team=team, person=person, role=role)
    membership.full_clean()
    membership.save()
    record(
        actor=actor,
        obj=team,
        action="team.member_added",
        changes={"person": str(person), "role": membership.role},
    )
    return membership


@transaction.atomic
def membership_change_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    before = membership.role
    membership.role = role
    membership.full_clean()
    membership.save()
    record(
        actor=actor,
        obj=membership.team,
        action="team.member_role_changed",
        changes={"person": str(membership.person), "role": [before, membership.role]},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    record(
        actor=actor,
        obj=membership.team,
        action="team.member_removed",
        changes={"person": str(membership.person), "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def person_create(*, actor: Any, email: str, full_name: str, title: str = "") -> User:
    person = User(email=email.strip().lower(), full_name=full_name, title=title)
    person.set_unusable_password()
    return save_and_record(person, actor=actor, action="person.created", tracked=PERSON_FIELDS)


@transaction.atomic
def person_update(*, actor: Any, person: User, **fields: Any) -> User:
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    return save_and_record(person, actor=actor, action="person.changed", tracked=PERSON_FIELDS, fields=fields)


@transaction.atomic
def person_set_active(*, actor: Any, person: User, active: bool) -> User:
    if person.pk == getattr(actor, "pk", None) and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
        record(actor=actor, obj=person, action="person.reactivated" if active else "person.deactivated")
    return person


@transaction.atomic
def role_assign(*, actor: Any, person: User, role: str, unit: Unit | None = None) -> RoleAssignment:
    assignment = RoleAssignment(person=person, role=role, unit=unit)
    assignment.full_clean()
    assignment.save()
    record(
        actor=actor,
        obj=person,
        action="person.role_assigned",
        changes={"role": assignment.role, "unit": str(unit) if unit else None},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    if (
        assignment.role == RoleAssignment.Role.ADMINISTRATOR
        and not RoleAssignment.objects.filter(role=RoleAssignment.Role.ADMINISTRATOR, person__is_active=True)
        .exclude(pk=assignment.pk)
        .exists()
    ):
        raise ValidationError(
            _("Tillit needs at least one administrator; give the role to someone else first.")
        )
    record(
        actor=actor,
        obj=assignment.person,
        action="person.role_revoked",
        changes={"role": assignment.role, "unit": str(assignment.unit) if assignment.unit else None},
    )
    assignment.delete()
