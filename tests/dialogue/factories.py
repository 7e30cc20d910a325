from tests.organisation.factories import PersonFactory, RoleAssignmentFactory
from tillit.dialogue import services
from tillit.dialogue.models import Dialogue
from tillit.organisation.models import RoleAssignment


def facilitator():
    person = PersonFactory(full_name="Fia Facilitator")
    RoleAssignmentFactory(person=person, role=RoleAssignment.Role.FACILITATOR)
    return person


def make_dialogue(actor=None, **kwargs) -> Dialogue:
    kwargs.setdefault("title", "Chefsdagen")
    return services.dialogue_create(actor=actor or facilitator(), **kwargs)


def join_many(dialogue: Dialogue, count: int, **kwargs):
    return [services.participant_join(dialogue=dialogue, **kwargs)[0] for _ in range(count)]
