"""Ready-made dialogue patterns a facilitator starts from; every question and duration can be changed."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StepTemplate:
    kind: str
    question: Promise
    minutes: int


@dataclass(frozen=True)
class DialogueTemplate:
    key: str
    name: Promise
    description: Promise
    steps: tuple[StepTemplate, ...]

    def durations(self) -> list[timedelta]:
        return [timedelta(minutes=step.minutes) for step in self.steps]


TEMPLATES: dict[str, DialogueTemplate] = {
    template.key: template
    for template in (
        DialogueTemplate(
            key="norrkoping",
            name=_("Three steps (Norrköping)"),
            description=_(
                "Individual reflection, exchange at the tables, summary in the large group – the pattern of "
                "Norrköping's managers' day, where each table agreed on three success factors."
            ),
            steps=(
                StepTemplate("reflection", _("How are things for us now?"), 5),
                StepTemplate("table", _("What do we want to develop?"), 15),
                StepTemplate("plenary", _("Which three success factors matter most?"), 10),
            ),
        ),
        DialogueTemplate(
            key="1-2-4-all",
            name=_("1-2-4-All"),
            description=_(
                "Alone for a minute, then in pairs, then in fours, then everyone: many ideas quickly, "
                "and the strongest ones rise."
            ),
            steps=(
                StepTemplate("reflection", _("What opportunities do you see?"), 1),
                StepTemplate("table", _("Share and build on each other's ideas in pairs."), 2),
                StepTemplate("table", _("In fours: which ideas stand out? Write them down together."), 4),
                StepTemplate("plenary", _("Which ideas do we agree on?"), 5),
            ),
        ),
        DialogueTemplate(
            key="apt",
            name=_("Short workplace meeting (APT)"),
            description=_(
                "A short dialogue for a workplace meeting: reflect, talk at the table, agree together."
            ),
            steps=(
                StepTemplate("reflection", _("What has worked well since we last met?"), 3),
                StepTemplate("table", _("What should we do more of, or differently?"), 8),
                StepTemplate("plenary", _("What do we agree to try until next time?"), 5),
            ),
        ),
        DialogueTemplate(
            key="blank",
            name=_("From scratch"),
            description=_("The three steps with questions you write yourself."),
            steps=(
                StepTemplate("reflection", _("Write your own question for the reflection."), 5),
                StepTemplate("table", _("Write your own question for the tables."), 10),
                StepTemplate("plenary", _("Write your own question for the large group."), 10),
            ),
        ),
    )
}
