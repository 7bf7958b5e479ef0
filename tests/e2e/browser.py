"""Debian's Chromium, driven by Playwright. Playwright never downloads a browser of its own here:
the machine reaches no download site, and Debian's package is the one CI installs."""

import os
import shutil
from pathlib import Path

# Where Debian's package puts it; CHROMIUM_PATH points elsewhere on other systems.
DEFAULT_CHROMIUM = "/usr/bin/chromium"

# Headless, and quiet: the closed network refuses the browser's own background connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SKIP_VARIABLE = "SKIP_E2E"


def chromium_path():
    """The Chromium executable to drive, or None when it is not installed."""
    candidate = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    found = shutil.which(candidate)
    return found if found and Path(found).exists() else None


def skip_requested():
    """SKIP_E2E set to anything but 0 skips the browser tests, as it does in the Makefile."""
    return os.environ.get(SKIP_VARIABLE, "").strip() not in ("", "0")


MISSING_CHROMIUM = (
    "Nettlesertestene trenger Chromium, men {path} finnes ikke. Installer Debian-pakken "
    "`chromium` (`sudo apt-get install chromium`, eller `.ci/system-deps --browser` som root), "
    "eller sett CHROMIUM_PATH til en Chromium som finnes. Vil du kjøre resten av testene uten "
    f"nettleser, sett {SKIP_VARIABLE}=1."
)


def launch(playwright):
    path = chromium_path()
    if path is None:
        raise FileNotFoundError(
            MISSING_CHROMIUM.format(path=os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM)
        )
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
