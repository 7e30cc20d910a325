"""Demo indicators for Exempelstad: one Kolada KPI with yearly values, and team Norr's answers to the question
on influence, which fills the effect goal "Medarbetarinflytande" of the demo initiative.

Loaded after the demo labs and surveys (tillit.labs.demo, tillit.followup.demo.surveys). Never on the network:
the Kolada figures below are recorded demo values, not fetched."""

from collections.abc import Iterable
from decimal import Decimal

from tillit.accounts.models import User
from tillit.followup import indicators as services
from tillit.followup.models import Indicator
from tillit.labs.models import Indicator as EffectIndicator
from tillit.organisation.models import Team

# Kolada KPI N03937 (unemployment, from Arbetsförmedlingen). Exempelstad is fictional and borrows Helsingborg's
# municipality code, 1283; the figures are made up for the demo, not Kolada's. An import on a server that
# reaches Kolada replaces them with the real ones.
DEMO_KPI = "N03937"
DEMO_MUNICIPALITY = "1283"
DEMO_FIGURES = {2019: "7.9", 2020: "9.6", 2021: "9.1", 2022: "8.0", 2023: "8.2", 2024: "8.6"}


def _recorded(kpi: str, municipality: str, years: Iterable[int], gender: str) -> dict[int, Decimal]:
    return {year: Decimal(DEMO_FIGURES[year]) for year in years if year in DEMO_FIGURES}


def load_demo_indicators() -> None:
    lead = User.objects.get(email="utveckling@exempelstad.se")
    unemployment = services.indicator_create(
        actor=lead,
        name="Arbetslöshet i kommunen",
        description="Andelen arbetslösa av befolkningen, enligt Arbetsförmedlingen. Hämtas från Kolada.",
        unit="%",
        direction=Indicator.Direction.DECREASE,
        source=Indicator.Source.KOLADA,
        kolada_kpi=DEMO_KPI,
        kolada_municipality=DEMO_MUNICIPALITY,
        kolada_gender="T",
    )
    services.kolada_import(actor=lead, indicator=unemployment, years=sorted(DEMO_FIGURES), fetch=_recorded)

    norr = Team.objects.get(name="Barn, unga, familj – team Norr")
    influence = services.indicator_create(
        actor=lead,
        name="Medarbetarinflytande i team Norr",
        description="Teamets medelsvar på frågan om inflytande i självskattningen, omgång för omgång.",
        unit="index 1–5",
        direction=Indicator.Direction.INCREASE,
        source=Indicator.Source.SURVEY,
        survey_item_key="influence",
        team=norr,
    )
    services.refresh_from_surveys(influence, actor=lead)
    effect_indicator = EffectIndicator.objects.get(
        name="Medarbetarinflytande",
        goal__initiative__title="Självorganiserat arbetssätt i myndighetsutövning",
    )
    services.indicator_link(actor=lead, indicator=influence, effect_indicator=effect_indicator)
