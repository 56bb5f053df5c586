"""The paper-register round trip in headless Chromium (Debian's, driven by Playwright):
the facilitator prints a register for a session in a colony, downloads its PDF, enters
the ticks back by the sheet's code with the keyboard, and finds them on the roster."""

from __future__ import annotations

import io
import os
import shutil

import pytest

from conftest import PASSWORD
from kinbridge.programmes.models import Attendance, RegisterSheet
from kinbridge.programmes.tests.attendance_support import build_world

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("KINBRIDGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_a_paper_register_goes_out_and_comes_back(
    browser, live_server, transactional_db, personas, team_b, regions
):
    from pypdf import PdfReader

    world = build_world(personas, team_b, regions)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1024, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, base, "facilitator")

    # The roster of the session, then a register printed from it.
    page.goto(f"{base}/programmes/sessions/{world.session.pk}/attendance/")
    assert "Bonding with your baby" in page.inner_text("h1")
    page.get_by_role("link", name="Print a paper register").click()
    page.fill("#id_blank_lines", "2")
    page.click("main button[type=submit]")
    code = page.inner_text("main p .register-code").strip()
    sheet = RegisterSheet.objects.get(code=code)
    lines = {line.person_id: line.number for line in sheet.lines.all()}
    assert len(lines) == 2  # Anna and Olga are enrolled

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == f"{code}.pdf"
    with open(download.value.path(), "rb") as pdf:
        text = PdfReader(io.BytesIO(pdf.read())).pages[0].extract_text()
    assert code in text and world.anna.reference in text

    # Back from the colony: enter the ticks by the sheet's code.
    page.goto(f"{base}/programmes/sessions/{world.session.pk}/attendance/")
    page.get_by_role("link", name="Enter a paper register").click()
    page.fill("#id_code", code.lower())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/programmes/registers/{code}/enter/")
    rows = page.locator("tbody tr")
    assert rows.count() == 4  # two named lines and two blank ones
    # The keyboard: on line 1, "P" ticks present and moves to line 2, where "E" ticks excused.
    page.focus("#mark-1-present")
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.name") == "mark-2"
    page.keyboard.press("e")
    assert page.is_checked("#mark-1-present") and page.is_checked("#mark-2-excused")
    page.get_by_role("button", name="Save all marks").click()
    page.wait_for_url(f"{base}/programmes/sessions/{world.session.pk}/attendance/")
    assert f"Register {code} entered: 2 marks saved." in page.inner_text(".messages")

    # The roster shows what the paper said.
    by_line = {number: person for person, number in lines.items()}
    assert page.is_checked(f"#status-{by_line[1]}-present")
    assert page.is_checked(f"#status-{by_line[2]}-excused")
    assert dict(Attendance.objects.values_list("person_id", "status")) == {
        by_line[1]: "present",
        by_line[2]: "excused",
    }
    assert errors == []  # no CSP violation, no missing asset
    context.close()
