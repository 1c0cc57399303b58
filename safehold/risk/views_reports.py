"""The backtest and fairness report pages of the top indicators list (issue 18, items 4 and 5),
with their CSV and JSON downloads (`?format=csv|json`): counts only, never a subject; each read
recorded as one consultation. For the roles that see the list (`rules.can_see_list`); small
numbers are shown only to analysts (`rules.can_see_small_numbers`)."""

import io
import json
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehold.cases.choices import ExploitationType
from safehold.core.errors import ServiceError
from safehold.core.exports import csv_writer
from safehold.geography.models import Ward
from safehold.risk import backtest, fairness
from safehold.risk.rules import can_see_list, can_see_small_numbers

FORMATS = ("csv", "json")


def _wards() -> list[tuple[str, str]]:
    return [("", "Every area"), *Ward.objects.values_list("code", "name")]


class BacktestForm(forms.Form):
    """The months to replay, the horizon, an area and an exploitation type."""

    first = forms.RegexField(
        label="First month",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="For example, 2025-01",
        error_messages={
            "required": "Enter the first month",
            "invalid": "Enter the first month as a year and month, like 2025-01",
        },
    )
    last = forms.RegexField(
        label="Last month",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="For example, 2025-12",
        error_messages={
            "required": "Enter the last month",
            "invalid": "Enter the last month as a year and month, like 2025-12",
        },
    )
    horizon = forms.IntegerField(
        label="Horizon, in months",
        min_value=1,
        max_value=36,
        help_text="A case counts for a list if it opened within this many months after it",
        error_messages={
            "required": "Enter the horizon in months",
            "invalid": "Enter the horizon as a whole number of months",
            "min_value": "The horizon must be 1 month or more",
            "max_value": "The horizon must be 36 months or fewer",
        },
    )
    area = forms.ChoiceField(
        label="Area", required=False, error_messages={"invalid_choice": "Select an area"}
    )
    kind = forms.ChoiceField(
        label="Exploitation type",
        required=False,
        choices=[("", "Every type"), *ExploitationType.choices],
        error_messages={"invalid_choice": "Select an exploitation type"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _wards()

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            try:
                backtest.month_ends(
                    backtest.parse_month(first, "First month"),
                    backtest.parse_month(last, "Last month"),
                )
            except ServiceError as exc:
                self.add_error("last", str(exc))
        return data


class FairnessForm(forms.Form):
    as_of = forms.DateField(
        label="Date of the list",
        input_formats=["%Y-%m-%d"],
        help_text="For example, 2026-06-30",
        error_messages={
            "required": "Enter the date of the list",
            "invalid": "Enter the date of the list as a year, month and day, like 2026-06-30",
        },
    )
    area = forms.ChoiceField(
        label="Area", required=False, error_messages={"invalid_choice": "Select an area"}
    )

    with_backtest = forms.BooleanField(
        label="Add the backtest's recall by group (replays 12 months' lists: slower)",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _wards()


def _defaults_backtest() -> dict:
    """The 12 months whose 6-month horizon ends with last month."""
    today = timezone.localdate()
    last = backtest.month_end(today.year, today.month - 7)
    first = backtest.month_end(last.year, last.month - 11)
    return {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}", "horizon": 6}


@dataclass
class Bar:
    label: str
    value: float | int | None


@require_http_methods(["GET"])
def backtest_page(request: HttpRequest) -> HttpResponse:
    if not can_see_list(request.user):
        raise PermissionDenied
    # A backtest replays a list a month: it runs when asked (the form sent, or a download),
    # not on opening the page.
    asked = _asked(request)
    form = BacktestForm(asked or None, initial=_defaults_backtest())
    if not asked and request.GET.get("format") in FORMATS:
        form = BacktestForm(_defaults_backtest())
    made = None
    # A ward's small numbers are for the analysts only (ADR 0060), as in the fairness report.
    suppress_areas = not can_see_small_numbers(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        made = backtest.run(
            first=backtest.parse_month(data["first"]),
            last=backtest.parse_month(data["last"]),
            horizon=data["horizon"],
            area=data["area"] or None,
            kind=data["kind"],
        )
        backtest.record_read(made, actor=request.user)
        wanted = request.GET.get("format")
        if wanted in FORMATS:
            return _download(
                backtest, made, wanted, f"risk-backtest-{made.first:%Y-%m}",
                suppress_areas=suppress_areas,
            )  # fmt: skip
    context = {"form": form, "made": made}
    if made is not None:
        k = made.tops[0]
        context |= {
            "k": k,
            "recall_bars": [
                Bar(f.label, None if f.recall is None else round(100 * f.recall, 2))
                for name in made.rankings
                for f in made.of(name)
                if f.k == k
            ],
            "list_figures": made.of(backtest.LIST),
            "rankings": [(name, made.of(name)) for name in made.rankings],
            "areas": [
                (
                    area,
                    [
                        f"{backtest.shown_count(f.caught, f, suppress_areas)} of "
                        f"{backtest.shown_count(f.cases, f, suppress_areas)}"
                        for f in made.of(backtest.LIST, area)
                    ],
                )
                for area in made.areas
            ],
            "suppress_areas": suppress_areas,
            "lead_bars": [
                Bar(f"{m} month{'s' * (m != 1)} before", n)
                for f in made.of(backtest.LIST)
                if f.k == k
                for m, n in f.leads_by_month.items()
            ],
        }
    return render(request, "risk/backtest.html", context)


@require_http_methods(["GET"])
def fairness_page(request: HttpRequest) -> HttpResponse:
    if not can_see_list(request.user):
        raise PermissionDenied
    form = FairnessForm(_asked(request) or {"as_of": timezone.localdate().isoformat()})
    made = None
    if form.is_valid():
        made = fairness.report(
            form.cleaned_data["as_of"],
            form.cleaned_data["area"] or None,
            suppress=not can_see_small_numbers(request.user),
            with_backtest=form.cleaned_data["with_backtest"],
        )
        fairness.record_read(made, actor=request.user)
        wanted = request.GET.get("format")
        if wanted in FORMATS:
            return _download(fairness, made, wanted, f"risk-fairness-{made.as_of.isoformat()}")
    tables = fairness.shown_tables(made) if made else []
    for t in tables:
        t["bars"] = [
            Bar(r["row"].group, None if r["rate"] in ("", fairness.FEWER_THAN_5) else round(100 * r["row"].rate, 2))
            for r in t["rows"]
        ]  # fmt: skip
    return render(
        request,
        "risk/fairness.html",
        {
            "form": form,
            "made": made,
            "tables": tables,
            "top": fairness.BACKTEST_TOP,
        },
    )


def _asked(request: HttpRequest) -> dict:
    """The form's fields in the query string (empty when the page is only opened)."""
    return {k: v for k, v in request.GET.items() if k != "format"}


def _download(module, made, wanted: str, name: str, **options) -> HttpResponse:
    if wanted == "json":
        response = HttpResponse(
            json.dumps(module.as_json(made, **options), indent=2, ensure_ascii=False),
            content_type="application/json",
        )
    else:
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(module.CSV_COLUMNS)
        writer.writerows(module.csv_rows(made, **options))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{wanted}"'
    return response


__all__ = ["backtest_page", "fairness_page"]
