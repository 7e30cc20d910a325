"""Takes screenshots of Tillit's main pages in headless Chromium, to look at them as a new user would.

Usage: python bench/screenshots.py [--url http://127.0.0.1:8000] [--out var/screenshots]
Logs in as the demo administrator; desktop (1280 px) and phone (390 px) widths.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("--login", default="admin@exempelstad.se")
    parser.add_argument("paths", nargs="*", default=["/", "/organisation/", "/personer/", "/administration/"])
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for label, viewport in (
            ("desktop", {"width": 1280, "height": 900}),
            ("phone", {"width": 390, "height": 844}),
        ):
            page = browser.new_page(viewport=viewport)
            page.goto(args.url + "/")
            page.screenshot(path=out / f"{label}-start-logged-out.png", full_page=True)
            page.goto(args.url + "/logga-in/")
            page.fill("input[name=username]", args.login)
            page.fill("input[name=password]", "tillit-demo")
            page.click("main button[type=submit]")
            for path in args.paths:
                page.goto(args.url + path)
                name = re.sub(r"[^a-z0-9_-]+", "_", path.strip("/").replace("/", "_")) or "start"
                page.screenshot(path=out / f"{label}-{name}.png", full_page=True)
            page.close()
        browser.close()
    print(f"Screenshots in {out}")


if __name__ == "__main__":
    main()
