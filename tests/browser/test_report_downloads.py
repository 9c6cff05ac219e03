"""Report files reach only the signed-in facilitator's browser, through short-lived links."""

import io
import zipfile

import httpx
import pyarrow.parquet as pq
import pytest
from playwright.sync_api import expect

from harness.streamlit_server import PASSCODE

pytestmark = pytest.mark.browser


def test_the_facilitator_downloads_three_files_that_no_one_else_can_fetch(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(server.url + "/")
    page.locator(".st-key-passcode_input input").fill(PASSCODE)
    page.locator(".st-key-passcode_submit button").click()
    page.locator(".st-key-start_session button").click()
    expect(page.locator("[data-testid='stCode']").first).to_contain_text("/join?code=", timeout=15_000)
    page.get_by_role("link", name="Reports").first.click()
    links = {key: page.locator(f".st-key-{key} a") for key in ("download_html", "download_csv", "download_parquet")}
    for link in links.values():
        expect(link).to_be_visible(timeout=30_000)
    hrefs = {key: link.get_attribute("href") for key, link in links.items()}
    assert all(h.startswith("/download/") and len(h) == len("/download/") + 22 for h in hrefs.values())
    assert page.locator("a[href*='/media/']").count() == 0  # nothing in Streamlit's media store
    files = {key: context.request.get(server.url + href) for key, href in hrefs.items()}
    assert [files[k].status for k in hrefs] == [200, 200, 200]
    assert files["download_html"].headers["cache-control"] == "no-store"
    assert files["download_html"].headers["content-disposition"].startswith("attachment; ")
    assert files["download_html"].headers["x-content-type-options"] == "nosniff"
    assert b"<html" in files["download_html"].body()[:500].lower()
    assert "answers.csv" in " ".join(zipfile.ZipFile(io.BytesIO(files["download_csv"].body())).namelist())
    assert pq.read_table(io.BytesIO(files["download_parquet"].body())).num_rows == 0
    # Someone else, without the facilitator's cookie, gets nothing for the same URL.
    assert [httpx.get(server.url + href).status_code for href in hrefs.values()] == [404, 404, 404]
    context.close()


def test_links_on_a_reports_page_left_open_are_renewed_before_they_expire(tmp_path_factory, browser):
    """With 4 s links the page draws new ones every 2 s: after 7 s idle the link on the page
    still downloads, while the one it showed first no longer does."""
    from harness.streamlit_server import start_streamlit
    from tests.browser.test_live_workshop import sign_in

    folder = tmp_path_factory.mktemp("short-links")
    server = start_streamlit(folder, WORKSHOP_DB_PATH=str(folder / "workshop.duckdb"),
                             WORKSHOP_DOWNLOAD_LINK_SECONDS="4")
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        sign_in(page, server.url)
        page.locator(".st-key-start_session button").click()
        expect(page.locator("[data-testid='stCode']").first).to_contain_text("/join?code=", timeout=15_000)
        page.get_by_role("link", name="Reports").first.click()
        link = page.locator(".st-key-download_csv a")
        expect(link).to_be_visible(timeout=30_000)
        first = link.get_attribute("href")
        page.wait_for_timeout(7_000)  # nobody touches the page
        now = link.get_attribute("href")
        assert now != first
        assert context.request.get(server.url + first).status == 404  # expired
        assert context.request.get(server.url + now).status == 200
        context.close()
    finally:
        server.stop()
