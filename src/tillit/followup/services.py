"""Every change in the follow-up, in a transaction, with history. The services live in one module per part
(surveys, indicators, inventory); this module makes sure each is loaded when the app is."""

from tillit.followup import indicators, inventory, surveys  # noqa: F401
