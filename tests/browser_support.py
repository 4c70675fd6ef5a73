"""What every browser test shares: Debian's chromium, how it is started, the page sizes.

Never `playwright install` (it cannot download here): Playwright drives /usr/bin/chromium,
which scripts/test installs as root. The background-networking flags keep chromium from
calling out of this closed network at every start.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
