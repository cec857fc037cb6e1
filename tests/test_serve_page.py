"""The query page of `actorgraph serve`, driven in real headless Chromium."""

from __future__ import annotations

import urllib.request

import pytest

from tests.test_serve import exports, server  # noqa: F401 - the same built graph and server

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror=\\"window.__pwned=1\\">'


@pytest.fixture
def page(browser, server: str):  # noqa: F811
    # bypass_csp lets the test evaluate its own checks; it also means the page's CSP cannot
    # hide a markup injection: only the page's use of textContent keeps the data inert
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/query")
    page.wait_for_function("document.querySelectorAll('#named option').length > 15")
    yield page, errors, requests
    context.close()


def run_and_wait(page) -> str:
    page.click("#run")
    page.wait_for_function("!document.getElementById('status').textContent.startsWith('Running')")
    return page.inner_text("#status")


def test_a_named_query_runs_with_its_parameter_and_fills_the_table(page, server: str):  # noqa: F811
    page, errors, requests = page
    page.select_option("#named", "who-supports")
    page.fill("#params input[name=target]", "Palestine")
    status = run_and_wait(page)
    rows = page.locator("#output tbody tr").count()
    expected = urllib.request.urlopen(f"{server}/api/queries/who-supports?target=Palestine&format=csv").read()
    assert rows == len(expected.decode().splitlines()) - 1 > 0
    assert status.startswith(f"{rows} rows in ")
    assert "Kim Jong-un" in page.inner_text("#output")
    assert errors == []
    assert all(url.startswith(server) for url in requests)


def test_download_links_give_the_results_in_each_format(page, server: str):  # noqa: F811
    page, _, _ = page
    page.select_option("#named", "sources")
    run_and_wait(page)
    links = {link.inner_text(): link.get_attribute("href") for link in page.locator("#downloads a").all()}
    assert sorted(links) == ["CSV", "JSON", "TSV", "XML"]
    csv = urllib.request.urlopen(server + links["CSV"]).read().decode()
    assert csv.splitlines()[0] == "source,title,title_supplied,publisher,author,date,language"


def test_results_are_text_never_markup(page):
    page, errors, _ = page
    page.select_option("#named", "")
    page.fill("#editor", f'SELECT ?x WHERE {{ BIND ("{HOSTILE}" AS ?x) }}')
    run_and_wait(page)
    assert page.inner_text("#output td") == '<img src=x onerror="window.__pwned=1">'
    assert page.locator("#output img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert errors == []


def test_a_syntax_error_is_shown_with_its_position(page):
    page, _, _ = page
    page.fill("#editor", "SELECT * WHERE { ?s ?p }")
    assert run_and_wait(page) == "1:18: SPARQL syntax error: unexpected '?s'"
    assert page.get_attribute("#status", "class") == "error"
