"""Every public compact page, in Chromium: it works, and axe finds no WCAG A/AA problem."""

import re

import pytest

from localcompact.compacts.models import Compact

from .conftest import check_accessibility


def visit(page, live_server, path: str, name: str, status: int = 200) -> None:
    response = page.goto(live_server.url + path)
    assert response.status == status, f"{path} answered {response.status}"
    check_accessibility(page, name)
    assert page.js_errors == [], f"{path}: {page.js_errors}"


def test_the_site_pages_pass_axe(page, live_server, compacts):
    visit(page, live_server, "/", "home")
    visit(page, live_server, "/compacts/", "compacts")
    visit(page, live_server, "/accessibility/", "accessibility")
    visit(page, live_server, "/cookies/", "cookies")
    visit(page, live_server, "/compacts/nowhere/", "not-found", status=404)


def test_every_page_of_every_shipped_compact_passes_axe(page, live_server, compacts):
    compacts_loaded = list(Compact.objects.select_related("current_version"))
    assert compacts_loaded, "no compacts shipped"
    for compact in compacts_loaded:
        base = f"/compacts/{compact.slug}/"
        visit(page, live_server, base, f"{compact.slug}")
        visit(page, live_server, base + "undertakings/", f"{compact.slug}-undertakings")
        visit(
            page,
            live_server,
            base + "undertakings/?by=sector:public",
            f"{compact.slug}-undertakings-public",
        )
        visit(
            page,
            live_server,
            base + "undertakings/?by=party:nobody",
            f"{compact.slug}-undertakings-error",
            status=400,
        )
        for code in compact.current_version.codes.all():
            visit(page, live_server, f"{base}codes/{code.slug}/", f"{compact.slug}-{code.slug}")
        visit(page, live_server, base + "standards/", f"{compact.slug}-standards")
        visit(page, live_server, base + "glossary/", f"{compact.slug}-glossary")
        visit(page, live_server, base + "glossary/?q=zzzz", f"{compact.slug}-glossary-empty")
        visit(page, live_server, base + "disagreements/", f"{compact.slug}-disagreements")
        visit(page, live_server, base + "versions/1/", f"{compact.slug}-version-1")


def test_the_pages_work_without_javascript(browser, live_server, compacts):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    slug = Compact.objects.order_by("slug").values_list("slug", flat=True).first()
    page.goto(f"{live_server.url}/compacts/{slug}/undertakings/")
    page.select_option("#by", "sector:vcs")
    page.click("button:has-text('Show undertakings')")
    assert "by=sector%3Avcs" in page.url
    assert re.search(r"\d+ undertakings? given by the voluntary", page.inner_text("main"))
    context.close()


def focused(page) -> dict:
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {tag: el.tagName, id: el.id, text: (el.innerText || '').trim().slice(0, 60),
                href: el.getAttribute('href'), outline: style.outlineStyle,
                shadow: style.boxShadow, background: style.backgroundColor};
    }"""
    )


def test_a_keyboard_user_can_skip_to_the_content_and_filter_undertakings(
    page, live_server, compacts
):
    slug = Compact.objects.order_by("slug").values_list("slug", flat=True).first()
    page.goto(f"{live_server.url}/compacts/{slug}/undertakings/")

    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to main content"
    assert first["shadow"] != "none" or first["outline"] != "none", "focus must be visible"

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    for _ in range(40):
        page.keyboard.press("Tab")
        current = focused(page)
        assert current["shadow"] != "none" or current["outline"] != "none", current
        if current["id"] == "by":
            break
    else:
        pytest.fail("the 'who gives the undertaking' list cannot be reached by keyboard")

    page.keyboard.press("ArrowDown")  # Everyone -> the first sector
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Show undertakings"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "by=sector%3A" in page.url
    check_accessibility(page, f"{slug}-keyboard-filtered")


def test_tabbing_through_a_page_reaches_the_footer_without_a_trap(page, live_server, compacts):
    slug = Compact.objects.order_by("slug").values_list("slug", flat=True).first()
    page.goto(f"{live_server.url}/compacts/{slug}/")
    texts = []
    for _ in range(400):
        page.keyboard.press("Tab")
        # Marks each element focused; meeting a marked one again means focus went round.
        state = page.evaluate(
            """() => {
            const el = document.activeElement;
            const again = el.dataset.tabSeen === "1";
            el.dataset.tabSeen = "1";
            return {tag: el.tagName, again, text: (el.innerText || "").trim()};
        }"""
        )
        if state["tag"] == "BODY" or state["again"]:
            break
        texts.append(state["text"])
    assert texts[0] == "Skip to main content"
    assert texts[-1] == "API", f"focus did not end at the footer: {texts[-3:]}"
