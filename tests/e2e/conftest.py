"""End-to-end tests in a real headless Chromium (Debian's, driven by Playwright).

Playwright may not download browsers here, so the tests use /usr/bin/chromium and are
skipped, saying so, when it is missing. axe-core comes from the npm packages that
`make setup` installs; without it the tests fail rather than pass unchecked.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in this thread; the test database is
# still used synchronously from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"no Chromium at {CHROMIUM}: browser and accessibility "
                        "tests not run (apt-get install chromium)"
                    )
                )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe; the pages themselves run under the real CSP,
    # which the security tests check.
    context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Script errors, and any asset (stylesheet, script, image) that fails to load; the
    # page's own status is checked by each test, so the console's echo of it is not.
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    page.js_errors = errors
    yield page
    # Leave the site before the test database is flushed, so no request of the last page
    # (an asset, a late navigation) reaches the live server while it is being emptied.
    page.goto("about:blank")
    context.close()


@pytest.fixture
def compacts(transactional_db):
    call_command("load_compacts", dir=settings.COMPACT_DEFINITIONS_DIR, stdout=io.StringIO())


def check_accessibility(page, name: str) -> None:
    """Run axe with the WCAG A and AA tags, save a screenshot, and fail on any violation."""
    assert AXE.exists(), f"{AXE} is missing: run `make setup` (npm ci) first"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
    ]
    assert violations == [], f"{name} ({page.url}):\n" + "\n".join(violations)
