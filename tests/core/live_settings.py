"""Tillit's settings with the test-only live URLs of tests/core/live_app.py (for the uvicorn processes)."""

from tillit.config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.core.live_app"
