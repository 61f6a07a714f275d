"""Open data in Chromium: someone finds the open data, reads the index (every dataset
with its licence, formats and fields), follows a dataset to its fields page and
downloads its CSV. axe checks both pages."""

import pytest

from localcompact.disputes.tests.conftest import make_cast
from localcompact.opendata.tests.conftest import publish_everything

from .conftest import check_accessibility


@pytest.fixture
def published(transactional_db):
    return publish_everything(make_cast())


def visit(page, url, name):
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    check_accessibility(page, name)


def test_someone_reads_the_index_and_a_datasets_fields_and_downloads_it(
    page, live_server, published
):
    base = live_server.url
    visit(page, f"{base}/open-data/", "opendata-index")
    main = page.inner_text("main")
    assert "Open Government Licence v3.0" in main
    assert "Consultations and their outcomes" in main
    assert "The register of signatories" in main
    with page.expect_navigation():
        page.click("#consultations ~ div >> text=What each field means")
    assert "Consultations and their outcomes: fields" in page.inner_text("h1")
    check_accessibility(page, "opendata-fields")
    assert "what_you_told_us" in page.inner_text("main table")
    with page.expect_download() as download:
        page.click("main a:has-text('CSV')")
    path = download.value.path()
    with open(path, encoding="utf-8") as handle:
        header = handle.readline()
    assert header.startswith("id,url,compact,")
    assert page.js_errors == []
    page.goto("about:blank")  # no request of the browser's may reach the server in teardown
