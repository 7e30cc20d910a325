"""Demo follow-up for Exempelstad: a self-organisation survey in team Norr over two rounds, indicators (one fed by
Kolada figures recorded in the demo, one by the survey) and the team's inventory of rules and reporting."""

from tillit.notifications.services import without_email


@without_email()
def load_demo_followup() -> None:
    from tillit.followup.demo.indicators import load_demo_indicators
    from tillit.followup.demo.inventory import load_demo_inventory
    from tillit.followup.demo.surveys import load_demo_surveys

    load_demo_surveys()
    load_demo_indicators()
    load_demo_inventory()
