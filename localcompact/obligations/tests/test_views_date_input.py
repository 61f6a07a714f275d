"""The GOV.UK date input (localcompact.core.forms): three boxes, GOV.UK's messages,
and what was typed given back."""

import datetime as dt

import pytest
from django import forms

from localcompact.core.forms import GovukDateField, GovukForm


class OpeningForm(GovukForm):
    opens = GovukDateField(what="the date the consultation opens")
    closes = GovukDateField(what="the date it closes", required=False)


@pytest.mark.parametrize(
    "data,error",
    [
        ({}, "Enter the date the consultation opens"),
        ({"opens-day": "4", "opens-month": "3"}, "Date the consultation opens must include a year"),
        ({"opens-year": "2026"}, "Date the consultation opens must include a day and month"),
        (
            {"opens-day": "30", "opens-month": "2", "opens-year": "2026"},
            "Date the consultation opens must be a real date",
        ),
        (
            {"opens-day": "x", "opens-month": "2", "opens-year": "2026"},
            "Date the consultation opens must be a real date",
        ),
        (
            {"opens-day": "1", "opens-month": "2", "opens-year": "26"},
            "Date the consultation opens must be a real date",
        ),
    ],
)
def test_errors_are_gov_uk_s(data, error):
    form = OpeningForm(data)
    assert not form.is_valid()
    assert form.errors["opens"] == [error]


def test_a_real_date_is_read_and_an_optional_one_may_be_blank():
    form = OpeningForm({"opens-day": " 4 ", "opens-month": "03", "opens-year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"opens": dt.date(2026, 3, 4), "closes": None}


def test_an_iso_date_in_the_field_s_own_name_is_read():
    form = OpeningForm({"opens": "2026-03-04"})
    assert form.is_valid()
    assert form.cleaned_data["opens"] == dt.date(2026, 3, 4)
    assert not OpeningForm({"opens": "yesterday"}).is_valid()


def test_it_renders_as_a_fieldset_with_three_labelled_boxes_and_keeps_what_was_typed():
    form = OpeningForm({"opens-day": "31", "opens-month": "2", "opens-year": "2026"})
    form.is_valid()
    html = form["opens"].as_field_group()
    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="opens_error">' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in html
    for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        assert f'<label class="govuk-label govuk-date-input__label" for="opens-{part}">{label}' in (
            html
        )
        assert f'id="opens-{part}" name="opens-{part}" type="text" inputmode="numeric"' in html
    assert 'value="31"' in html
    assert "govuk-input--error" in html
    assert 'id="opens_error"' in html
    assert form["opens"].anchor == "opens-day"


def test_other_widgets_carry_gov_uk_classes_and_errors():
    class Form(GovukForm):
        name = forms.CharField(help_text="Your full name")

    form = Form({"name": ""})
    form.is_valid()
    html = form["name"].as_field_group()
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="name_helptext name_error"' in html
    assert '<div class="govuk-hint" id="name_helptext">Your full name</div>' in html
