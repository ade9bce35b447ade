"""Screenshots of every chapter at desktop and phone widths (``python -m secorgs.build.screenshots``).

Written to ``_build/screenshots/`` as build artefacts (not committed); the pages are served on
loopback with every other host blocked, and each shot waits until the page's charts are drawn.
"""
import sys
from urllib.parse import urlparse

from .. import ROOT
from .pdf import CHROMIUM_ARGS, DRAWN, chromium_path, serve, toc_pages

OUT = ROOT / "_build" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> int:
    from playwright.sync_api import sync_playwright

    server, base = serve()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for label, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1"
                       else route.abort())
            for name in toc_pages():
                page.goto(base + name, wait_until="networkidle")
                page.wait_for_function(DRAWN, timeout=15000)
                shot = OUT / f"{name.replace('/', '_').removesuffix('.html')}-{label}.png"
                page.screenshot(path=str(shot), full_page=True)
            page.close()
        browser.close()
    server.shutdown()
    print(f"screenshots: wrote {len(list(OUT.glob('*.png')))} files to {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
