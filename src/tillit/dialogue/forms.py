from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.forms import TillitForm
from tillit.dialogue.analysis.themes import Theme
from tillit.dialogue.models import JOIN_CODE_LENGTH, Dialogue, Table, ThemeEdit
from tillit.dialogue.templates_data import TEMPLATES
from tillit.organisation.models import Team, Unit


class DialogueCreateForm(TillitForm):
    template = forms.ChoiceField(
        label=_("Start from"),
        choices=[(key, template.name) for key, template in TEMPLATES.items()],
        initial="norrkoping",
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.ChoiceField(
        label=_("Who may take part"),
        choices=Dialogue.Audience.choices,
        initial=Dialogue.Audience.ANYONE,
        widget=forms.RadioSelect,
    )
    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name"), required=False, label=_("Team"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"), required=False, label=_("Unit"))
    anonymous = forms.BooleanField(
        label=_("Anonymous participation: contributions are shown and exported without names"),
        required=False,
        initial=True,
    )
    table_mode = forms.ChoiceField(
        label=_("Tables"),
        choices=Dialogue.TableMode.choices,
        initial=Dialogue.TableMode.AUTOMATIC,
        widget=forms.RadioSelect,
    )
    table_size = forms.IntegerField(
        label=_("People per automatic table"), min_value=2, max_value=50, initial=6
    )
    table_names = forms.CharField(
        label=_("Names of the tables (named tables only)"),
        required=False,
        help_text=_("One name per line, e.g. Eldkvarn."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_table_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["table_names"].splitlines() if line.strip()]


class StepForm(TillitForm):
    question = forms.CharField(label=_("Question"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=240)


class JoinCodeForm(TillitForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=JOIN_CODE_LENGTH + 4,
        help_text=_("The code is shown on the big screen, e.g. K7M2QX."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


class JoinForm(TillitForm):
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    table = forms.ModelChoiceField(queryset=Table.objects.none(), required=False, label=_("Your table"))

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if dialogue.anonymous:
            del self.fields["name"]
        else:
            self.fields["name"].required = True
        if dialogue.table_mode == Dialogue.TableMode.NAMED:
            table_field = self.fields["table"]
            assert isinstance(table_field, forms.ModelChoiceField)
            table_field.queryset = dialogue.tables.order_by("number")
            self.fields["table"].required = True
        else:
            del self.fields["table"]


class NoteForm(TillitForm):
    text = forms.CharField(label=_("Your note"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class SummaryForm(TillitForm):
    text = forms.CharField(
        label=_("The table's points"),
        max_length=2000,
        required=False,
        help_text=_("One point per line. Everyone at the table sees it and can change it."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    agreed = forms.BooleanField(label=_("We agree on this"), required=False)


class ThemeEditForm(TillitForm):
    """Rename, merge or split themes: which themes and notes there are to choose from is the page's."""

    action = forms.ChoiceField(choices=ThemeEdit.Action.choices, widget=forms.HiddenInput)
    theme = forms.CharField(required=False, widget=forms.HiddenInput)
    themes = forms.MultipleChoiceField(
        label=_("Themes to merge"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.TypedMultipleChoiceField(
        label=_("Notes for the new theme"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)

    def __init__(self, *args: Any, themes: Sequence[Theme] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(theme.key, theme.name) for theme in themes]  # type: ignore[attr-defined]
        self.fields["notes"].choices = [  # type: ignore[attr-defined]
            (c.id, c.text) for theme in themes for c in theme.contributions
        ]

    @property
    def chosen_themes(self) -> list[str]:
        """The themes ticked when the form came back, so that the page shows them ticked again."""
        return self.data.getlist("themes") if hasattr(self.data, "getlist") else []

    @property
    def chosen_notes(self) -> list[str]:
        return self.data.getlist("notes") if hasattr(self.data, "getlist") else []

    @property
    def error_list(self) -> list[str]:
        return [str(message) for errors in self.errors.values() for message in errors]


class OnwardForm(TillitForm):
    onward = forms.CharField(
        label=_("What happens next"),
        help_text=_(
            "For example: the team prepares a proposal for the workplace meeting on 3 December. "
            "Leave empty to take it back."
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
