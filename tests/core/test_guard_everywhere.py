"""Every free-text field in Tillit goes through the sensitive-data guard, in models and in forms."""

import pytest
from django import forms
from django.apps import apps
from django.db import models

from tillit.core.forms import TillitFormMixin
from tillit.core.sensitive import validate_no_identity_numbers

# Text columns that are not free text a person writes: identifiers, hashes, codes and machine values.
NOT_FREE_TEXT = {
    ("accounts", "User", "password"),
    ("accounts", "User", "email"),
    ("accounts", "User", "search_text"),
    ("accounts", "Invitation", "email"),
    ("accounts", "Invitation", "token_hash"),
    ("accounts", "Invitation", "team_role"),
    ("accounts", "ApiToken", "prefix"),
    ("accounts", "ApiToken", "key_hash"),
    ("core", "HistoryEntry", "object_id"),
    ("core", "HistoryEntry", "object_repr"),
    ("core", "HistoryEntry", "action"),
    ("core", "AccessibilityReport", "contact"),
    ("organisation", "Unit", "slug"),
    ("organisation", "Team", "slug"),
    ("dialogue", "Dialogue", "join_code"),
    ("dialogue", "Participant", "token_hash"),
    # A theme's key: the word key of a guarded note's word, or that key with a number.
    ("dialogue", "ThemeEdit", "theme"),
    # A decision's reference is made by Tillit: the year and a running number.
    ("decisions", "Decision", "number"),
    ("teams", "Role", "template"),  # the key of a role template
    # Written by Tillit from texts the guard has already checked (a proposal's title), with a link and a key.
    ("notifications", "Notification", "text"),
    ("notifications", "Notification", "url"),
    ("notifications", "Notification", "key"),
    ("labs", "Lab", "slug"),
    ("labs", "Initiative", "slug"),
    ("labs", "Initiative", "contact_email"),
    ("labs", "Initiative", "source_url"),
    # A casefolded copy of the initiative's guarded texts, for search.
    ("labs", "Initiative", "search_text"),
    ("labs", "Link", "url"),
    ("labs", "Idea", "submitter_email"),
    ("labs", "Idea", "token"),
    ("followup", "Survey", "template"),  # a template's key
    ("followup", "Survey", "link_token"),
    ("followup", "Item", "key"),  # a question's key, from a template or made by Tillit
    ("followup", "Indicator", "kolada_kpi"),  # checked against Kolada's pattern: a letter and five digits
    ("followup", "Indicator", "kolada_municipality"),  # four digits
    ("followup", "Indicator", "survey_item_key"),
    ("economy", "CostCentre", "code"),  # the financial system's codes
    ("economy", "AccountGroup", "code"),
    ("economy", "OutcomeImport", "file_name"),  # the name of the uploaded file
    # Contact details, checked by their own formats: a phone number's digits can look like an identity number's.
    ("hr", "Candidate", "email"),
    ("hr", "Candidate", "phone"),
    ("citizens", "PanelMember", "email"),
    ("citizens", "PanelMember", "phone"),
    ("citizens", "PanelMember", "token"),
    ("citizens", "Feedback", "email"),
    ("citizens", "Feedback", "token"),
}


def tillit_text_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("tillit."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                yield (model._meta.app_label, model.__name__, field.name), field


FREE_TEXT = [(key, field) for key, field in tillit_text_fields() if key not in NOT_FREE_TEXT]


@pytest.mark.parametrize(("key", "field"), FREE_TEXT, ids=[".".join(key) for key, _ in FREE_TEXT])
def test_every_free_text_column_is_guarded(key, field):
    assert validate_no_identity_numbers in field.validators, f"{key} is free text without the guard"


def test_the_exemptions_name_real_columns():
    assert {key for key, _ in tillit_text_fields()} >= NOT_FREE_TEXT


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


def test_every_tillit_form_guards_its_text_inputs():
    import tillit.accounts.forms
    import tillit.organisation.forms  # noqa: F401

    form_classes = [
        c
        for c in all_subclasses(TillitFormMixin)
        if c.__module__.startswith("tillit.")
        and issubclass(c, forms.BaseForm)
        and c.__name__ not in {"TillitForm", "TillitModelForm"}
    ]
    assert len(form_classes) > 5
    for form_class in form_classes:
        try:
            form = (
                form_class() if form_class.__name__ != "InvitationAcceptForm" else form_class(email="a@b.se")
            )
        except TypeError:
            continue
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                if name in form_class.guard_exempt:
                    continue
                assert validate_no_identity_numbers in field.validators, f"{form_class.__name__}.{name}"
