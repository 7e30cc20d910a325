"""Survey templates written for Tillit (no licensed instrument is copied). Each item has a key, so that the same
question can be followed across rounds, compared between teams and feed an indicator."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AGREE_LOW = _("Do not agree at all")
AGREE_HIGH = _("Agree completely")


@dataclass(frozen=True)
class ItemTemplate:
    key: str
    text: Promise
    kind: str = "scale5"


@dataclass(frozen=True)
class SectionTemplate:
    title: Promise
    items: tuple[ItemTemplate, ...]


@dataclass(frozen=True)
class SurveyTemplate:
    key: str
    name: Promise
    description: Promise
    sections: tuple[SectionTemplate, ...]


def _scale(key: str, text: Promise) -> ItemTemplate:
    return ItemTemplate(key, text)


TEMPLATES: dict[str, SurveyTemplate] = {
    template.key: template
    for template in (
        SurveyTemplate(
            key="self_organisation",
            name=_("Self-organisation: success factors"),
            description=_(
                "How the team works as a self-organising team, along four success factors: the citizen's "
                "perspective, the team's communication and relations, decision-making and leadership."
            ),
            sections=(
                SectionTemplate(
                    _("The citizen's perspective"),
                    (
                        _scale("citizen_needs", _("We shape our work from what the people we serve need.")),
                        _scale("citizen_involved", _("Citizens take part in developing how we work.")),
                    ),
                ),
                SectionTemplate(
                    _("The team's communication and relations"),
                    (
                        _scale("team_open", _("We can raise problems and disagree openly in the team.")),
                        _scale("team_support", _("We help each other when the work is heavy.")),
                    ),
                ),
                SectionTemplate(
                    _("Decision-making"),
                    (
                        _scale("decide_clear", _("It is clear which decisions the team may make itself.")),
                        _scale("decide_fast", _("We can decide quickly when a citizen needs it.")),
                    ),
                ),
                SectionTemplate(
                    _("Leadership"),
                    (
                        _scale(
                            "lead_shared", _("Leadership is shared in the team according to what is needed.")
                        ),
                        _scale("lead_support", _("Our coach supports us without taking over.")),
                    ),
                ),
                SectionTemplate(
                    _("In your own words"),
                    (
                        ItemTemplate(
                            "free_text", _("What would make the biggest difference for the team?"), "text"
                        ),
                    ),
                ),
            ),
        ),
        SurveyTemplate(
            key="trust_principles",
            name=_("The trust-based principles"),
            description=_(
                "How the seven principles of trust-based governance show in everyday work: trust, citizen "
                "focus, seeing the whole, room for action, support, knowledge and openness."
            ),
            sections=(
                SectionTemplate(
                    _("In my everyday work"),
                    (
                        _scale("trust", _("I am trusted to do my work well.")),
                        _scale("citizen_focus", _("What matters to citizens guides our priorities.")),
                        _scale(
                            "whole", _("We see and take responsibility for the whole, not only our part.")
                        ),
                        _scale("room", _("I have the room for action that my work needs.")),
                        _scale("support", _("I get the support I need when I need it.")),
                        _scale(
                            "knowledge", _("Our professional knowledge is used in how the work is organised.")
                        ),
                        _scale("openness", _("Mistakes and problems are talked about openly, to learn.")),
                    ),
                ),
                SectionTemplate(
                    _("In your own words"),
                    (
                        ItemTemplate(
                            "free_text", _("What hinders trust in your work, and what helps it?"), "text"
                        ),
                    ),
                ),
            ),
        ),
        SurveyTemplate(
            key="effects",
            name=_("Influence, collaboration and pace of development"),
            description=_(
                "The effect goals of the self-organised team: increased employee influence, increased "
                "collaboration and a faster pace of development. Short enough to send every quarter."
            ),
            sections=(
                SectionTemplate(
                    _("The last three months"),
                    (
                        _scale("influence", _("I have influence over how our work is planned and done.")),
                        _scale(
                            "collaboration", _("We collaborate well with others around the people we serve.")
                        ),
                        _scale("pace", _("Good ideas are tried out quickly in our work.")),
                    ),
                ),
            ),
        ),
        SurveyTemplate(
            key="trust_in_management",
            name=_("Trust in the nearest manager and the organisation"),
            description=_("Trust both ways: in the nearest manager or coach, and in the organisation above."),
            sections=(
                SectionTemplate(
                    _("My nearest manager or coach"),
                    (
                        _scale("manager_trusts", _("My nearest manager trusts my judgement.")),
                        _scale("manager_trusted", _("I trust my nearest manager.")),
                        _scale("manager_listens", _("My nearest manager listens and acts on what we say.")),
                    ),
                ),
                SectionTemplate(
                    _("The organisation"),
                    (
                        _scale("org_trusted", _("I trust the decisions made above my unit.")),
                        _scale("org_listens", _("The organisation learns from what we report.")),
                    ),
                ),
            ),
        ),
    )
}
