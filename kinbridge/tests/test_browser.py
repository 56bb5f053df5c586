"""Headless Chromium (Debian's, driven by Playwright): each demo role signs in,
finds its navigation, and switches the interface to Russian and Lithuanian."""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.management import call_command

from kinbridge.demo.organisation import DEMO_PASSWORD

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

NAV = {
    "en": {
        "admin": [
            "Dashboard",
            "People",
            "Cases",
            "Intake",
            "Tasks",
            "Projects",
            "Sessions",
            "Planning",
            "Facilities",
            "Partners",
            "Users",
            "Teams",
            "Audit trail",
            "API",
        ],
        "staff": [
            "Dashboard",
            "People",
            "Projects",
            "Sessions",
            "Planning",
            "Facilities",
            "Partners",
            "API",
        ],
        "casework": [
            "Dashboard",
            "People",
            "Cases",
            "Intake",
            "Tasks",
            "Projects",
            "Sessions",
            "Planning",
            "Facilities",
            "Partners",
            "API",
        ],
        "analyst": ["Dashboard", "Projects", "Sessions", "Facilities", "Partners", "API"],
        "other": ["Dashboard", "Facilities", "Partners", "API"],
    },
    "ru": {
        "admin": [
            "Главная панель",
            "Люди",
            "Случаи",
            "Обращения",
            "Задачи",
            "Проекты",
            "Занятия",
            "Планирование",
            "Учреждения",
            "Партнёры",
            "Пользователи",
            "Команды",
            "Журнал аудита",
            "API",
        ],
        "staff": [
            "Главная панель",
            "Люди",
            "Проекты",
            "Занятия",
            "Планирование",
            "Учреждения",
            "Партнёры",
            "API",
        ],
        "casework": [
            "Главная панель",
            "Люди",
            "Случаи",
            "Обращения",
            "Задачи",
            "Проекты",
            "Занятия",
            "Планирование",
            "Учреждения",
            "Партнёры",
            "API",
        ],
        "analyst": ["Главная панель", "Проекты", "Занятия", "Учреждения", "Партнёры", "API"],
        "other": ["Главная панель", "Учреждения", "Партнёры", "API"],
    },
    "lt": {
        "admin": [
            "Pradžia",
            "Asmenys",
            "Atvejai",
            "Kreipimaisi",
            "Užduotys",
            "Projektai",
            "Užsiėmimai",
            "Planavimas",
            "Įstaigos",
            "Partneriai",
            "Naudotojai",
            "Komandos",
            "Audito žurnalas",
            "API",
        ],
        "staff": [
            "Pradžia",
            "Asmenys",
            "Projektai",
            "Užsiėmimai",
            "Planavimas",
            "Įstaigos",
            "Partneriai",
            "API",
        ],
        "casework": [
            "Pradžia",
            "Asmenys",
            "Atvejai",
            "Kreipimaisi",
            "Užduotys",
            "Projektai",
            "Užsiėmimai",
            "Planavimas",
            "Įstaigos",
            "Partneriai",
            "API",
        ],
        "analyst": ["Pradžia", "Projektai", "Užsiėmimai", "Įstaigos", "Partneriai", "API"],
        "other": ["Pradžia", "Įstaigos", "Partneriai", "API"],
    },
}
DEMO_ROLES = [
    "admin",
    "manager",
    "caseworker",
    "caseworker2",
    "facilitator",
    "coordinator",
    "volunteer",
    "analyst",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # fixtures make here are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def nav_labels(page) -> list[str]:
    """The items' names, without a count badge (due tasks, referrals waiting)."""
    links = page.locator("nav[aria-label] ul.nav a").all()
    return [link.evaluate("a => a.firstChild.textContent.trim()") for link in links]


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def choose_language(page, code):
    with page.expect_navigation():
        page.select_option("#language-select", code)


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_each_role_signs_in_and_reads_its_navigation_in_three_languages(
    browser, live_server, demo, username
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, live_server.url, username)
    kind = {
        "admin": "admin",
        "manager": "casework",
        "caseworker": "casework",
        "caseworker2": "casework",
        "analyst": "analyst",
        "volunteer": "other",
    }.get(username, "staff")
    for code in ("en", "ru", "lt"):
        choose_language(page, code)
        assert page.locator("html").get_attribute("lang") == code
        assert nav_labels(page) == NAV[code][kind], code
    # The choice is remembered on the account: a fresh browser shows Lithuanian.
    fresh = browser.new_context().new_page()
    sign_in(fresh, live_server.url, username)
    assert fresh.locator("html").get_attribute("lang") == "lt"
    assert errors == []  # no CSP violation, no missing asset
    context.close()


def test_phone_layout_and_keyboard(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url, "admin")
    choose_language(page, "en")
    # No horizontal scrolling of the page itself at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The menu opens from its toggle and reaches every item.
    assert not page.locator("#main-nav").is_visible()
    page.click(".nav-button")
    assert page.locator(".nav-button").get_attribute("aria-expanded") == "true"
    assert nav_labels(page) == NAV["en"]["admin"]
    # The skip link is the first thing the keyboard reaches and it moves focus to main.
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    context.close()
