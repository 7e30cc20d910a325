import factory

from tillit.accounts.models import User
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

PASSWORD = "ett-bra-lösenord-2026"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@exempel.test")
    full_name = factory.Sequence(lambda n: f"Person {n:04d}")
    title = "Socialsekreterare"
    password = factory.django.Password(PASSWORD)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Enhet {n}")
    slug = factory.Sequence(lambda n: f"enhet-{n}")
    kind = Unit.Kind.UNIT
    parent = None


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    unit = factory.SubFactory(UnitFactory)
    purpose = "Vi finns till för invånarna."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    role = RoleAssignment.Role.FACILITATOR
    unit = None
