"""The "?" widget in a real browser: headless Chromium on a page of another origin, posting
cross-origin to the real service (uvicorn in a subprocess), so CORS is exercised for real.

Needs Debian's `chromium` and `chromium-driver`; Selenium is pointed at them and never
downloads a browser. Without them the test is skipped, unless CI is set: then it fails.
"""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.api.test_attachments import ELF, png
from tests.factories import ADMIN, make_contact
from tests.intake.widget_helpers import make_widget_key
from tests.processes import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_SECONDS = 20


def browser_installed() -> None:
    """Skips (fails under CI) before any process is started when the browser is missing."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if not missing:
        return
    reason = f"{', '.join(missing)} missing: apt-get install chromium chromium-driver"
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"CI must run the browser test, but {reason}")
    pytest.skip(reason)


def _wait_until_up(url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"the API did not start:\n{log.read().decode()[-3000:]}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    """The API as deployed: uvicorn in its own process, on this run's database and Redis."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--no-access-log"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, process, log)
            yield url
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class _Site:
    """A customer's website on another origin: pages registered by path, served from a thread."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = pages.get(self.path)
                self.send_response(200 if page is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((page or "not found").encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(self, path: str, service: str, key: str) -> str:
        """Publishes a page embedding the widget; returns its URL."""
        self.pages[path] = (
            "<!doctype html><html><head><title>Acme Shop</title></head><body>"
            "<h1>Checkout</h1>"
            f'<script src="{service}/widget.js" data-key="{key}" data-app-version="4.2.0" '
            "async></script></body></html>"
        )
        return self.origin + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site() -> Iterator[_Site]:
    customer_site = _Site()
    yield customer_site
    customer_site.close()


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    yield browser
    browser.quit()


def _use_widget(driver, url: str, email: str, attach: Path | None = None) -> tuple[str, str]:
    """Opens the page, clicks "?", fills the form (choosing the file `attach`, if any), sends
    it; the status text and its class once the widget has its answer."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    driver.get(url)
    wait = WebDriverWait(driver, WAIT_SECONDS)
    host = wait.until(lambda browser: browser.find_element(By.ID, "supportdesk-widget"))
    widget = host.shadow_root
    widget.find_element(By.CSS_SELECTOR, "button.open").click()
    widget.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys(email)
    widget.find_element(By.CSS_SELECTOR, "input[name=subject]").send_keys("Checkout button is grey")
    widget.find_element(By.CSS_SELECTOR, "textarea[name=description]").send_keys(
        "After adding a coupon the checkout button stays disabled."
    )
    Select(widget.find_element(By.CSS_SELECTOR, "select[name=category]")).select_by_value(
        "bug_report"
    )
    if attach is not None:
        widget.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(attach))
    widget.find_element(By.CSS_SELECTOR, "button.send").click()
    status = widget.find_element(By.CSS_SELECTOR, ".status")
    wait.until(lambda _: status.text and not status.text.endswith("…"))
    return status.text, status.get_attribute("class")


async def test_a_designated_contact_raises_a_ticket_from_another_sites_page(
    client, tenant, service, site, driver
):
    key = await make_widget_key(client, tenant.organization, (site.origin,))
    url = site.page("/checkout?step=payment", service, key["key"])

    text, _ = await asyncio.to_thread(_use_widget, driver, url, tenant.contact["email"])

    assert "Your ticket number is SUP-" in text, text
    number = text.rsplit(" ", 1)[-1]
    listed = await client.get(
        "/v1/tickets", params={"organization_id": tenant.organization["id"]}, headers=ADMIN
    )
    [ticket] = [ticket for ticket in listed.json()["data"] if ticket["number"] == number]
    assert ticket["channel"] == "widget"
    assert ticket["category"] == "bug_report"
    assert ticket["subject"] == "Checkout button is grey"
    assert ticket["requester_id"] == tenant.contact["id"]
    assert ticket["context"]["url"] == f"{site.origin}/checkout"  # the query string is dropped
    assert ticket["context"]["browser"].startswith(("Chrome ", "Chromium "))
    assert ticket["context"]["os"] == "Linux"
    assert ticket["context"]["app_version"] == "4.2.0"


async def test_someone_not_designated_is_shown_the_refusal(client, tenant, service, site, driver):
    outsider = await make_contact(client, tenant.organization, designated=False)
    key = await make_widget_key(client, tenant.organization, (site.origin,))
    url = site.page("/account", service, key["key"])

    text, classes = await asyncio.to_thread(_use_widget, driver, url, outsider["email"])

    assert "only your organization's designated contacts" in text, text
    assert "error" in classes
    listed = await client.get(
        "/v1/tickets", params={"organization_id": tenant.organization["id"]}, headers=ADMIN
    )
    assert listed.json()["data"] == []


async def test_a_page_on_an_origin_the_key_does_not_allow_cannot_send(
    client, tenant, service, site, driver
):
    key = await make_widget_key(client, tenant.organization, ("https://elsewhere.example",))
    url = site.page("/elsewhere", service, key["key"])

    text, classes = await asyncio.to_thread(_use_widget, driver, url, tenant.contact["email"])

    assert "could not reach support" in text, text  # the browser's CORS check stopped it
    assert "error" in classes
    listed = await client.get(
        "/v1/tickets", params={"organization_id": tenant.organization["id"]}, headers=ADMIN
    )
    assert listed.json()["data"] == []


async def test_the_demo_page_works_under_its_content_security_policy(
    client, tenant, service, driver
):
    key = await make_widget_key(client, tenant.organization, (service,))
    url = f"{service}/widget/demo?key={key['key']}"
    await asyncio.to_thread(driver.get_log, "browser")  # reading the log empties it

    text, _ = await asyncio.to_thread(_use_widget, driver, url, tenant.contact["email"])

    assert "Your ticket number is SUP-" in text, text
    console = await asyncio.to_thread(driver.get_log, "browser")
    assert not [entry for entry in console if entry["level"] == "SEVERE"], console


async def test_a_screenshot_attached_in_the_widget_is_on_the_ticket(
    client, tenant, service, site, driver, tmp_path
):
    key = await make_widget_key(client, tenant.organization, (site.origin,))
    url = site.page("/checkout", service, key["key"])
    screenshot = tmp_path / "checkout.png"
    screenshot.write_bytes(png(64, 48))

    text, _ = await asyncio.to_thread(_use_widget, driver, url, tenant.contact["email"], screenshot)

    assert "Your ticket number is SUP-" in text, text
    listed = await client.get(
        "/v1/tickets", params={"organization_id": tenant.organization["id"]}, headers=ADMIN
    )
    [ticket] = listed.json()["data"]
    [file] = ticket["attachments"]
    assert (file["filename"], file["content_type"]) == ("checkout.png", "image/png")
    content = await client.get(f"/v1/attachments/{file['id']}/content", headers=ADMIN)
    assert content.content == png(64, 48)


async def test_a_refused_file_is_explained_and_nothing_is_sent(
    client, tenant, service, site, driver, tmp_path
):
    key = await make_widget_key(client, tenant.organization, (site.origin,))
    url = site.page("/refused", service, key["key"])
    disguised = tmp_path / "screenshot.png"
    disguised.write_bytes(ELF)

    text, classes = await asyncio.to_thread(
        _use_widget, driver, url, tenant.contact["email"], disguised
    )

    assert "Executables and scripts are not accepted" in text, text
    assert "error" in classes
    listed = await client.get(
        "/v1/tickets", params={"organization_id": tenant.organization["id"]}, headers=ADMIN
    )
    assert listed.json()["data"] == []


def _chat(driver, url: str, email: str, first: str) -> Any:
    """Opens the page, starts a chat from the widget; the widget's shadow root."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    driver.get(url)
    wait = WebDriverWait(driver, WAIT_SECONDS)
    host = wait.until(lambda browser: browser.find_element(By.ID, "supportdesk-widget"))
    widget = host.shadow_root
    widget.find_element(By.CSS_SELECTOR, "button.open").click()
    start = widget.find_element(By.CSS_SELECTOR, "button.chat")
    wait.until(lambda _: start.is_displayed())  # support is there: the chat is offered
    widget.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys(email)
    widget.find_element(By.CSS_SELECTOR, "textarea[name=description]").send_keys(first)
    start.click()
    wait.until(
        lambda _: widget.find_element(By.CSS_SELECTOR, "textarea[name=message]").is_displayed()
    )
    return widget


def _chat_text(widget) -> str:
    from selenium.webdriver.common.by import By

    return "\n".join(m.text for m in widget.find_elements(By.CSS_SELECTOR, ".msg"))


def _wait_for(driver, condition) -> None:
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(driver, WAIT_SECONDS).until(lambda _: condition())


async def test_a_client_and_an_agent_chat_through_the_widget(client, service, site, driver):
    from selenium.webdriver.common.by import By

    from tests.chat.test_chat import open_desk

    tenant, key, agent_key = await open_desk(client, (site.origin,))
    url = site.page("/help", service, key)
    widget = await asyncio.to_thread(
        _chat, driver, url, tenant.contact["email"], "Hi, my export is stuck"
    )
    listed = await client.get(
        "/v1/tickets", params={"organization_id": tenant.organization["id"]}, headers=ADMIN
    )
    [ticket] = listed.json()["data"]
    assert ticket["channel"] == "chat"

    reply = await client.post(
        f"/v1/tickets/{ticket['id']}/comments",
        json={"body": "Hello, Sam here. Which format?"},
        headers=agent_key,
    )
    assert reply.status_code == 201, reply.text
    await asyncio.to_thread(
        _wait_for, driver, lambda: "Sam here" in _chat_text(widget)
    )  # pushed through the stream, not polled

    def answer() -> None:
        widget.find_element(By.CSS_SELECTOR, "textarea[name=message]").send_keys("CSV, please")
        widget.find_element(By.CSS_SELECTOR, ".panel:not([hidden]) button.send").click()

    await asyncio.to_thread(answer)
    await asyncio.to_thread(_wait_for, driver, lambda: "CSV, please" in _chat_text(widget))
    comments = await client.get(f"/v1/tickets/{ticket['id']}/comments", headers=agent_key)
    said = [(c["author_type"], c["body"]) for c in comments.json()["data"]]
    assert said == [("agent", "Hello, Sam here. Which format?"), ("contact", "CSV, please")]
    assert _chat_text(widget).split("\n") == [
        "Hi, my export is stuck",
        "Hello, Sam here. Which format?",
        "CSV, please",
    ]

    await asyncio.to_thread(widget.find_element(By.CSS_SELECTOR, "button.leave").click)
    events = await client.get(f"/v1/tickets/{ticket['id']}/events", headers=ADMIN)
    for _ in range(100):  # the beacon is sent as the chat closes
        if any(e["type"] == "ticket.chat_ended" for e in events.json()["data"]):
            break
        await asyncio.sleep(0.1)
        events = await client.get(f"/v1/tickets/{ticket['id']}/events", headers=ADMIN)
    [ended] = [e for e in events.json()["data"] if e["type"] == "ticket.chat_ended"]
    assert ended["data"]["reason"] == "closed"
