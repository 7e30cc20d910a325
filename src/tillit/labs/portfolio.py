"""The portfolio as open data: every published initiative as JSON and CSV, and an import that reads another
municipality's export. The fields and their mapping to Helsingborg's published portfolio are documented in
docs/portfolio-open-data.md; ``SCHEMA`` names the format so that a reader can tell which version it has."""

import datetime
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.core.context_processors import municipality_name
from tillit.core.history import record
from tillit.labs.models import (
    LEARNING_FIELDS,
    EffectGoal,
    Indicator,
    Initiative,
    Link,
    Measurement,
)
from tillit.labs.services import check_indicator, check_initiative
from tillit.organisation.services import unique_slug

SCHEMA = "tillit-portfolio/1"
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_FIGURE = Decimal(10) ** 12  # what a measurement's column holds: 14 digits, 2 of them decimals

# Helsingborg's portfolio writes status and stage in Swedish words; an import accepts them as well as ours.
STATUS_WORDS = {
    "pågående": Initiative.Status.ONGOING,
    "pausad": Initiative.Status.PAUSED,
    "realiserad": Initiative.Status.REALISED,
    "genomförd": Initiative.Status.REALISED,
    "avbruten": Initiative.Status.STOPPED,
    "avslutad": Initiative.Status.STOPPED,
}
STAGE_WORDS = {
    "utforska idén": Initiative.Stage.EXPLORE_IDEA,
    "utforska upplägget": Initiative.Stage.EXPLORE_SETUP,
    "utveckla pilot": Initiative.Stage.PILOT,
    "skala upp": Initiative.Stage.SCALE,
}

CSV_COLUMNS = [
    "id",
    "url",
    "title",
    "municipality",
    "area",
    "administration",
    "lab",
    "status",
    "stage",
    "what",
    "why",
    "how",
    "hypothesis",
    "effect_goals",
    "lessons_what_worked",
    "lessons_what_did_not_work",
    "lessons_for_others",
    "pilot_start",
    "pilot_end",
    "contact_name",
    "contact_email",
    "published",
    "updated",
    "ended",
]


def published_initiatives() -> QuerySet[Initiative]:
    """Every published initiative with what the export needs, in a fixed number of queries."""
    return (
        Initiative.objects.filter(published_at__isnull=False)
        .select_related("lab", "track", "administration")
        .prefetch_related(
            "teams",
            "links",
            "attachments",
            Prefetch(
                "effect_goals",
                EffectGoal.objects.prefetch_related(
                    Prefetch("indicators", Indicator.objects.prefetch_related("measurements"))
                ),
            ),
        )
        .order_by("title", "pk")
    )


def _date(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def initiative_record(initiative: Initiative, base_url: str, municipality: str) -> dict[str, Any]:
    """One initiative in the open-data format; ``municipality``: ours, for initiatives that are not imported."""
    return {
        "id": initiative.slug,
        "url": base_url + initiative.get_absolute_url(),
        "municipality": initiative.source_municipality or municipality,
        "title": initiative.title,
        "area": initiative.area,
        "administration": initiative.administration.name if initiative.administration else "",
        "lab": initiative.lab.name if initiative.lab else "",
        "track": initiative.track.name if initiative.track else "",
        "status": initiative.status,
        "stage": initiative.stage,
        "what": initiative.what,
        "why": initiative.why,
        "how": initiative.how,
        "hypothesis": initiative.hypothesis,
        "success_factors": initiative.success_factor_list,
        "questions": initiative.question_list,
        "teams": [team.name for team in initiative.teams.all()],
        "pilot_period": {"start": _date(initiative.pilot_start), "end": _date(initiative.pilot_end)},
        "support": initiative.support,
        "citizen_involvement": initiative.citizen_involvement,
        "effect_goals": [
            {
                "title": goal.title,
                "description": goal.description,
                "indicators": [
                    {
                        "name": indicator.name,
                        "unit": indicator.unit,
                        "direction": indicator.direction,
                        "baseline": {
                            "value": _number(indicator.baseline),
                            "date": _date(indicator.baseline_on),
                        },
                        "target": {"value": _number(indicator.target), "date": _date(indicator.target_on)},
                        "measurements": [
                            {"date": _date(m.measured_on), "value": _number(m.value)}
                            for m in indicator.measurements.all()
                        ],
                    }
                    for indicator in goal.indicators.all()
                ],
            }
            for goal in initiative.effect_goals.all()
        ],
        "lessons_learned": {
            "what_worked": initiative.learned_worked,
            "what_did_not_work": initiative.learned_not_worked,
            "for_others": initiative.learned_for_others,
        },
        "contact": {"name": initiative.contact_name, "email": initiative.contact_email},
        "links": [{"title": link.title, "url": link.url} for link in initiative.links.all()],
        "attachments": [
            {"title": a.title, "url": base_url + f"/portfolj/bilaga/{a.pk}/"}
            for a in initiative.attachments.all()
        ],
        "published": _date(initiative.published_at),
        "updated": _date(initiative.updated_at),
        "ended": _date(initiative.ended_on),
    }


def export_document(initiatives: Iterable[Initiative], base_url: str) -> dict[str, Any]:
    ours = municipality_name()
    return {
        "schema": SCHEMA,
        "municipality": ours,
        "exported": timezone.now().isoformat(timespec="seconds"),
        "licence": "CC0-1.0",
        "initiatives": [initiative_record(initiative, base_url, ours) for initiative in initiatives],
    }


def csv_rows(initiatives: Iterable[Initiative], base_url: str) -> Iterable[list[Any]]:
    yield CSV_COLUMNS
    ours = municipality_name()
    for initiative in initiatives:
        data = initiative_record(initiative, base_url, ours)
        lessons = data["lessons_learned"]
        yield [
            data["id"],
            data["url"],
            data["title"],
            data["municipality"],
            data["area"],
            data["administration"],
            data["lab"],
            data["status"],
            data["stage"],
            data["what"],
            data["why"],
            data["how"],
            data["hypothesis"],
            " | ".join(goal["title"] for goal in data["effect_goals"]),
            lessons["what_worked"],
            lessons["what_did_not_work"],
            lessons["for_others"],
            data["pilot_period"]["start"] or "",
            data["pilot_period"]["end"] or "",
            data["contact"]["name"],
            data["contact"]["email"],
            data["published"] or "",
            data["updated"] or "",
            data["ended"] or "",
        ]


# The import.


class PortfolioImportError(ValidationError):
    """An export that cannot be read; ``messages`` says where and why, one line per problem."""


def _text(data: dict[str, Any], key: str, where: str, problems: list[str], *, required: bool = False) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(_("%(where)s: “%(field)s” must be text.") % {"where": where, "field": key})
        return ""
    if required and not value.strip():
        problems.append(_("%(where)s: “%(field)s” is missing.") % {"where": where, "field": key})
    return value.strip()


def _read_date(value: Any, where: str, field: str, problems: list[str]) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        problems.append(
            _("%(where)s: “%(field)s” is not a date (YYYY-MM-DD): %(value)s")
            % {"where": where, "field": field, "value": str(value)[:40]}
        )
        return None


def _read_number(value: Any, where: str, field: str, problems: list[str]) -> Decimal | None:
    """A figure as a measurement's column holds it (two decimals), or a problem."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or abs(number) >= MAX_FIGURE:
        problems.append(
            _("%(where)s: “%(field)s” is not a number: %(value)s")
            % {"where": where, "field": field, "value": str(value)[:40]}
        )
        return None
    return number.quantize(Decimal("0.01"))


def _choice(value: Any, codes: list[str], words: Mapping[str, str], default: str) -> str | None:
    if value in (None, ""):
        return default
    text = str(value).strip()
    if text in codes:
        return text
    return words.get(text.casefold())


def _lines_of(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(item).strip() for item in value if str(item).strip())
    return str(value or "").strip()


def _parse(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_IMPORT_BYTES:
        raise PortfolioImportError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // 2**20}
        )
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PortfolioImportError(_("The file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise PortfolioImportError(
            _("The file is not JSON (line %(line)d, column %(column)d: %(msg)s).")
            % {"line": error.lineno, "column": error.colno, "msg": error.msg}
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("initiatives"), list):
        raise PortfolioImportError(_("The file is not a portfolio export: it has no list of “initiatives”."))
    schema = document.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise PortfolioImportError(
            _("The file's format is %(found)s; this version of Tillit reads %(known)s.")
            % {"found": str(schema)[:50], "known": SCHEMA}
        )
    return document


def _read_initiative(data: Any, where: str, problems: list[str], municipality: str) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        problems.append(_("%(where)s is not an object.") % {"where": where})
        return None
    before = len(problems)
    fields: dict[str, Any] = {
        "title": _text(data, "title", where, problems, required=True),
        "area": _text(data, "area", where, problems),
        "what": _text(data, "what", where, problems, required=True),
        "why": _text(data, "why", where, problems, required=True),
        "how": _text(data, "how", where, problems, required=True),
        "hypothesis": _text(data, "hypothesis", where, problems),
        "success_factors": _lines_of(data.get("success_factors")),
        "questions": _lines_of(data.get("questions")),
        "support": _text(data, "support", where, problems),
        "citizen_involvement": _text(data, "citizen_involvement", where, problems),
    }
    status = _choice(data.get("status"), Initiative.Status.values, STATUS_WORDS, Initiative.Status.ONGOING)
    stage = _choice(data.get("stage"), Initiative.Stage.values, STAGE_WORDS, Initiative.Stage.EXPLORE_IDEA)
    if status is None:
        problems.append(
            _("%(where)s: unknown status “%(value)s”.")
            % {"where": where, "value": str(data.get("status"))[:40]}
        )
    if stage is None:
        problems.append(
            _("%(where)s: unknown stage “%(value)s”.")
            % {"where": where, "value": str(data.get("stage"))[:40]}
        )
    fields["status"], fields["stage"] = status, stage
    lessons = data.get("lessons_learned") or {}
    if not isinstance(lessons, dict):
        lessons = {"for_others": str(lessons)}
    fields["learned_worked"] = _text(lessons, "what_worked", where, problems)
    fields["learned_not_worked"] = _text(lessons, "what_did_not_work", where, problems)
    fields["learned_for_others"] = _text(lessons, "for_others", where, problems)
    if status in Initiative.ENDED and not all(fields[name] for name in LEARNING_FIELDS):
        problems.append(
            _("%(where)s has ended but lacks its learnings (what_worked, what_did_not_work, for_others).")
            % {"where": where}
        )
    contact = data.get("contact") or {}
    if not isinstance(contact, dict):
        contact = {}
    fields["contact_name"] = _text(contact, "name", where, problems) or municipality
    email = _text(contact, "email", where, problems)
    fields["contact_email"] = email
    period = data.get("pilot_period") or {}
    if not isinstance(period, dict):
        period = {}
    fields["pilot_start"] = _read_date(period.get("start"), where, "pilot_period.start", problems)
    fields["pilot_end"] = _read_date(period.get("end"), where, "pilot_period.end", problems)
    fields["ended_on"] = _read_date(data.get("ended"), where, "ended", problems)
    url = str(data.get("url") or "").strip()
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            problems.append(_("%(where)s: “url” is not a web address.") % {"where": where})
            url = ""
    fields["source_url"] = url
    fields["source_municipality"] = str(data.get("municipality") or municipality).strip()[:200]
    goals = []
    for g, goal in enumerate(data.get("effect_goals") or []):
        goal_where = f"{where}.effect_goals[{g}]"
        if not isinstance(goal, dict):
            problems.append(_("%(where)s is not an object.") % {"where": goal_where})
            continue
        indicators = []
        for i, indicator in enumerate(goal.get("indicators") or []):
            read = _read_indicator(indicator, f"{goal_where}.indicators[{i}]", problems)
            if read is not None:
                indicators.append(read)
        goals.append(
            {
                "title": _text(goal, "title", goal_where, problems, required=True),
                "description": _text(goal, "description", goal_where, problems),
                "indicators": indicators,
            }
        )
    links = []
    for n, link in enumerate(data.get("links") or []):
        if isinstance(link, dict) and link.get("url"):
            links.append({"title": str(link.get("title") or link["url"])[:200], "url": str(link["url"])})
        else:
            problems.append(_("%(where)s is not a link with a “url”.") % {"where": f"{where}.links[{n}]"})
    if len(problems) > before:
        return None
    return {"fields": fields, "goals": goals, "links": links, "where": where}


def _read_indicator(data: Any, where: str, problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        problems.append(_("%(where)s is not an object.") % {"where": where})
        return None
    baseline = data.get("baseline") or {}
    target = data.get("target") or {}
    if not isinstance(baseline, dict) or not isinstance(target, dict):
        problems.append(_("%(where)s: “baseline” and “target” need a value and a date.") % {"where": where})
        return None
    direction = data.get("direction") or Indicator.Direction.INCREASE
    if direction not in Indicator.Direction.values:
        problems.append(
            _("%(where)s: “direction” is “increase” or “decrease”, not “%(value)s”.")
            % {"where": where, "value": str(direction)[:40]}
        )
    measurements: list[tuple[datetime.date, Decimal]] = []
    for m, measurement in enumerate(data.get("measurements") or []):
        m_where = f"{where}.measurements[{m}]"
        if not isinstance(measurement, dict):
            problems.append(_("%(where)s is not an object.") % {"where": m_where})
            continue
        measured_on = _read_date(measurement.get("date"), m_where, "date", problems)
        value = _read_number(measurement.get("value"), m_where, "value", problems)
        if measured_on is not None and value is not None:
            if any(day == measured_on for day, _value in measurements):
                problems.append(
                    _("%(where)s: a second measurement on %(date)s.")
                    % {"where": m_where, "date": measured_on}
                )
            measurements.append((measured_on, value))
    return {
        "name": _text(data, "name", where, problems, required=True),
        "unit": _text(data, "unit", where, problems),
        "direction": direction,
        "baseline": _read_number(baseline.get("value"), where, "baseline.value", problems),
        "baseline_on": _read_date(baseline.get("date"), where, "baseline.date", problems),
        "target": _read_number(target.get("value"), where, "target.value", problems),
        "target_on": _read_date(target.get("date"), where, "target.date", problems),
        "measurements": measurements,
    }


def portfolio_import(*, actor: Any, raw: bytes) -> tuple[int, int]:
    """Reads another municipality's export. Every problem in the file is reported at once, and a file with any
    problem changes nothing. An initiative imported before (the same original address) is brought up to date.
    Returns (new, updated)."""
    document = _parse(raw)
    municipality = str(document.get("municipality") or "").strip() or _("another municipality")
    problems: list[str] = []
    rows = [
        _read_initiative(data, f"initiatives[{n}]", problems, municipality)
        for n, data in enumerate(document["initiatives"])
    ]
    if problems:
        raise PortfolioImportError(problems)
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            assert row is not None
            try:
                is_new = _save_imported(actor, row)
            except ValidationError as error:
                problems.extend(f"{row['where']}: {message}" for message in error.messages)
                continue
            created += is_new
            updated += not is_new
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise PortfolioImportError(problems)
    return created, updated


def _save_imported(actor: Any, row: dict[str, Any]) -> bool:
    fields = row["fields"]
    existing = None
    if fields["source_url"]:
        existing = Initiative.objects.filter(source_url=fields["source_url"]).first()
    initiative = existing or Initiative(slug=unique_slug(Initiative, fields["title"]))
    for name, value in fields.items():
        setattr(initiative, name, value)
    if initiative.ended_on is None and initiative.is_ended:
        initiative.ended_on = timezone.localdate()
    initiative.published_at = initiative.published_at or timezone.now()
    check_initiative(initiative)
    initiative.full_clean()
    initiative.save()
    initiative.effect_goals.all().delete()
    initiative.links.all().delete()
    for goal_data in row["goals"]:
        goal = EffectGoal(
            initiative=initiative, title=goal_data["title"], description=goal_data["description"]
        )
        goal.full_clean()
        goal.save()
        for data in goal_data["indicators"]:
            indicator = Indicator(goal=goal, **{k: v for k, v in data.items() if k != "measurements"})
            indicator.full_clean()
            check_indicator(indicator)
            indicator.save()
            measurements = [
                Measurement(indicator=indicator, measured_on=day, value=value)
                for day, value in data["measurements"]
            ]
            for measurement in measurements:
                measurement.full_clean(exclude=["indicator"], validate_unique=False)
            Measurement.objects.bulk_create(measurements)
    for link in row["links"]:
        item = Link(initiative=initiative, **link)
        item.full_clean()
        item.save()
    record(
        actor=actor,
        obj=initiative,
        action="initiative.imported",
        changes={"source_municipality": initiative.source_municipality, "source_url": initiative.source_url},
    )
    return existing is None
