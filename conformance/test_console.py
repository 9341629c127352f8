"""The web console (/console, docs/console.md) in a real browser: headless Chromium from Debian,
driven by Selenium, against real `wharf serve` processes.

In dev mode (the session server: SQLite, or two PostgreSQL nodes behind nginx, where every call
may reach either node) the page creates a queue, sends, peeks, edits an attribute, purges,
redrives and deletes — and boto3 checks each effect on the server. On a server with
credentials the page signs its calls with SigV4 in the browser: the right key works, wrong ones
show SQS's refusal. With 1,000 queues the list page's requests per refresh are counted.
Screenshots of the main pages go to docs/screenshots/.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from wharfutil import CLUSTER_NODES, POSTGRES_URL, REPO_DIR, WharfServer, make_client, unique_name

# The single-PostgreSQL-node run adds nothing the two-node run does not prove (same store,
# plus a second node): the console runs on SQLite and on two nodes.
pytestmark = pytest.mark.skipif(bool(POSTGRES_URL) and CLUSTER_NODES == 1,
                                reason="the console runs on SQLite and on two PostgreSQL nodes")

webdriver = pytest.importorskip("selenium.webdriver", reason="pip install selenium (.ci/run does)")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SCREENSHOTS = REPO_DIR / "docs" / "screenshots"
WAIT = 15


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not Path(chromium).exists() or not Path(driver_path).exists():
        pytest.fail("headless Chromium is needed: apt-get install -y chromium chromium-driver (.ci/run does)",
                    pytrace=False)
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1440,1000", "--disable-extensions", "--no-first-run"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def wait(driver, condition, timeout=WAIT):
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def text_of(driver, selector, expected, timeout=WAIT):
    """Waits until the element's text is `expected` (a string) or matches it (a regex)."""
    def check(d):
        elements = d.find_elements(By.CSS_SELECTOR, selector)
        if not elements:
            return False
        text = elements[0].text
        ok = re.search(expected, text) if isinstance(expected, re.Pattern) else text == expected
        return text if ok else False
    try:
        return wait(driver, check, timeout)
    except Exception:
        found = [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]
        raise AssertionError(f"{selector}: wanted {expected!r}, found {found!r}; console log: "
                             f"{driver.get_log('browser')[-5:]}")


def click(driver, selector):
    wait(driver, EC.element_to_be_clickable((By.CSS_SELECTOR, selector))).click()


def fill(driver, selector, value):
    element = wait(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))
    element.clear()
    element.send_keys(value)
    return element


def confirm(driver):
    click(driver, "#confirm-ok")
    wait(driver, lambda d: not d.find_element(By.ID, "confirm").get_attribute("open"))


def screenshot(driver, name):
    """Only from the SQLite run (one writer of the PNGs in the repository)."""
    if not POSTGRES_URL:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOTS / name))


def open_queue(driver, endpoint, url):
    from urllib.parse import quote
    driver.get(f"{endpoint}/console/#/queue/{quote(url, safe='')}")
    text_of(driver, "#queue-name", url.rsplit("/", 1)[1])


def test_the_console_files_are_served_with_their_headers(server):
    import requests
    page = requests.get(f"{server.endpoint}/console", timeout=5)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Content-Security-Policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    script = requests.get(f"{server.endpoint}/console/sigv4.js", timeout=5)
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    again = requests.get(f"{server.endpoint}/console/sigv4.js", headers={"If-None-Match": script.headers["ETag"]},
                         timeout=5)
    assert again.status_code == 304


def test_queue_lifecycle_through_the_page(server, browser):
    sqs = make_client("json", server.endpoint)
    name = unique_name("console")
    browser.get(f"{server.endpoint}/console/")
    wait(browser, EC.presence_of_element_located((By.ID, "queues")))

    # Create the queue through the page: it opens the queue's page.
    fill(browser, "#new-queue-name", name)
    click(browser, "#create-queue-submit")
    text_of(browser, "#queue-name", name)
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    text_of(browser, "#count-visible", "0")

    # Send a JSON message with an attribute; the live count shows it.
    fill(browser, "#send-body", '{"order": 42, "items": ["tea", "milk"]}')
    click(browser, "#send-add-attribute")
    fill(browser, "#send-attributes .attribute-name", "Priority")
    fill(browser, "#send-attributes .attribute-value", "high")
    click(browser, "#send-submit")
    text_of(browser, "#count-visible", "1")
    # The send shows in the sent-rate sparkline (per second between two refreshes; the counters
    # reach the store within 5 s).
    wait(browser, lambda d: float(d.find_element(By.CSS_SELECTOR, 'svg.spark[data-series="sent"]')
                                  .get_attribute("data-peak")) > 0, timeout=30)

    # Peek: the body pretty-printed, never received.
    click(browser, "#peek")
    body = text_of(browser, "#peeked .message .body", re.compile(r'"order": 42'))
    assert '\n  "items": [' in body
    card = browser.find_element(By.CSS_SELECTOR, "#peeked .message")
    assert "Priority" in card.text and "high" in card.text
    assert "Receives\n0" in card.text or "Receives 0" in card.text
    screenshot(browser, "queue-page.png")
    # The peek changed nothing: this receive is the message's first.
    got = sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"], WaitTimeSeconds=1)["Messages"]
    assert len(got) == 1 and got[0]["Attributes"]["ApproximateReceiveCount"] == "1"
    text_of(browser, "#count-in-flight", "1")

    # Edit an attribute; a bad value shows SQS's own validation error.
    row = 'tr[data-attribute="VisibilityTimeout"]'
    click(browser, f"{row} .edit")
    fill(browser, f"{row} .edit-value", "45")
    click(browser, f"{row} .save")
    text_of(browser, f"{row} td.value", "45")
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"] == {
        "VisibilityTimeout": "45"}
    click(browser, f"{row} .edit")
    fill(browser, f"{row} .edit-value", "99999")
    click(browser, f"{row} .save")
    text_of(browser, f"{row} .attribute-error", re.compile(r"^InvalidAttributeValue: .*VisibilityTimeout"))
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"] == {
        "VisibilityTimeout": "45"}

    # Purge, after the confirmation.
    sqs.send_message(QueueUrl=url, MessageBody="second")
    text_of(browser, "#count-visible", "1")
    click(browser, "#purge")
    confirm(browser)
    text_of(browser, "#notice", f"Purged {name}.")
    text_of(browser, "#count-visible", "0")
    text_of(browser, "#count-in-flight", "0")
    assert "Messages" not in sqs.receive_message(QueueUrl=url)

    # Delete one message through its peek handle.
    sqs.send_message(QueueUrl=url, MessageBody="delete me")
    click(browser, "#peek")
    text_of(browser, "#peeked .message .body", "delete me")
    click(browser, "#peeked .message .delete-message")
    text_of(browser, "#notice", re.compile(r"^Deleted "))
    text_of(browser, "#count-visible", "0")

    # Delete the queue, after the confirmation: back to the list.
    click(browser, "#delete-queue")
    confirm(browser)
    wait(browser, EC.presence_of_element_located((By.ID, "queues")))
    assert not any(u.endswith("/" + name) for u in sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", []))


def test_queue_list_filters_and_screenshot(server, browser):
    sqs = make_client("json", server.endpoint)
    prefix = unique_name("shop")
    for suffix, depth in (("orders", 3), ("invoices", 1), ("emails", 0), ("orders-dlq", 2)):
        url = sqs.create_queue(QueueName=f"{prefix}-{suffix}")["QueueUrl"]
        for i in range(depth):
            sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": i}))
    browser.get(f"{server.endpoint}/console/")
    fill(browser, "#prefix", prefix)
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue-rows tr")) == 4)
    text_of(browser, f'tr[data-queue="{prefix}-orders"] .visible', "3")
    text_of(browser, f'tr[data-queue="{prefix}-emails"] .oldest', "—")
    text_of(browser, f'tr[data-queue="{prefix}-orders"] .oldest', re.compile(r"^\d+ s$"))
    # Two refreshes later the sparklines have a line.
    wait(browser, lambda d: len([r for r in d.execute_script("return wharfConsole.refreshes()")
                                 if r["page"] == "queues"]) >= 2)
    screenshot(browser, "queue-list.png")
    fill(browser, "#prefix", f"{prefix}-orders")
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue-rows tr")) == 2)


def test_start_watch_and_cancel_a_redrive(server, browser):
    sqs = make_client("json", server.endpoint)
    dlq = sqs.create_queue(QueueName=unique_name("dlq"))["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    source = sqs.create_queue(QueueName=unique_name("src"), Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})["QueueUrl"]
    source_arn = sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.send_message_batch(QueueUrl=dlq, Entries=[{"Id": str(i), "MessageBody": f"dead {i}"} for i in range(10)])

    open_queue(browser, server.endpoint, dlq)
    text_of(browser, "#dead-letter-sources", source.rsplit("/", 1)[1])
    fill(browser, "#redrive-destination", source_arn)
    fill(browser, "#redrive-rate", "1")
    click(browser, "#redrive-start")
    click(browser, '#move-tasks tr[data-status="RUNNING"] .cancel-task')
    text_of(browser, "#move-tasks tr .task-status", re.compile(r"^CANCELL(ING|ED)"))
    tasks = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert tasks[0]["Status"] in ("CANCELLING", "CANCELLED")
    assert tasks[0]["ApproximateNumberOfMessagesMoved"] < 10


# --------------------------------------------------------------------------------------------
# Signed: a server with credentials
# --------------------------------------------------------------------------------------------

KEY = ("AKIACONSOLE0000001", "console-secret", "111111111111")


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    d = tmp_path_factory.mktemp("console-auth")
    creds = d / "credentials.json"
    creds.write_text(json.dumps({"accounts": [
        {"accountId": KEY[2], "keys": [{"accessKeyId": KEY[0], "secretAccessKey": KEY[1]}]}]}))
    server = WharfServer(d / "data", d / "server.log", extra_args=["--credentials-file", str(creds)]).start()
    yield server
    server.stop()


def sign_in(driver, key_id, secret, region="us-east-1"):
    fill(driver, "#login-key", key_id)
    fill(driver, "#login-secret", secret)
    fill(driver, "#login-region", region)
    click(driver, "#login-submit")


def test_sign_in_signs_every_call_and_wrong_keys_are_refused(secured, browser):
    owner = make_client("json", secured.endpoint, access_key=KEY[0], secret_key=KEY[1])
    existing = unique_name("signed")
    owner.create_queue(QueueName=existing)
    browser.get(f"{secured.endpoint}/console/")
    browser.execute_script("sessionStorage.clear()")
    browser.get("about:blank")
    browser.get(f"{secured.endpoint}/console/#/")
    # Unsigned calls are refused: the page asks for a key.
    wait(browser, EC.visibility_of_element_located((By.ID, "login-form")))
    text_of(browser, "#login-error", re.compile(r"^MissingAuthenticationToken"))
    screenshot(browser, "login.png")

    sign_in(browser, KEY[0], "not-the-secret")
    text_of(browser, "#login-error", re.compile(r"^SignatureDoesNotMatch: The request signature we calculated"))
    sign_in(browser, "AKIANOBODY00000000", KEY[1])
    text_of(browser, "#login-error", "InvalidClientTokenId: The security token included in the request is invalid.")

    # The right key: the account's queues, and every operation signed (a create, a send, a peek).
    sign_in(browser, KEY[0], KEY[1])
    text_of(browser, f'tr[data-queue="{existing}"] .visible', "0")
    assert KEY[2] in browser.find_element(By.ID, "scope").text
    created = unique_name("signed-new")
    fill(browser, "#new-queue-name", created)
    click(browser, "#create-queue-submit")
    text_of(browser, "#queue-name", created)
    fill(browser, "#send-body", "signed hello")
    click(browser, "#send-submit")
    text_of(browser, "#count-visible", "1")
    click(browser, "#peek")
    text_of(browser, "#peeked .message .body", "signed hello")
    url = owner.get_queue_url(QueueName=created)["QueueUrl"]
    assert f"/{KEY[2]}/" in url
    # The secret is in this tab's sessionStorage at most, never in a cookie.
    assert browser.get_cookies() == []
    click(browser, "#logout")
    wait(browser, EC.visibility_of_element_located((By.ID, "login-form")))
    assert browser.execute_script("return sessionStorage.length") == 0


# --------------------------------------------------------------------------------------------
# What a page costs: 1,000 queues
# --------------------------------------------------------------------------------------------

def test_requests_per_refresh_with_a_thousand_queues(tmp_path, browser):
    """Printed with -s; docs/console.md#what-a-page-costs has the figures."""
    server = WharfServer(tmp_path / "data", tmp_path / "server.log", extra_args=["--access-log"]).start()
    try:
        sqs = make_client("json", server.endpoint)
        for i in range(1000):
            sqs.create_queue(QueueName=f"load-{i:04d}")
        # Messages in ten of the first page's queues: those also cost a one-message peek each.
        for i in range(10):
            sqs.send_message(QueueUrl=server.queue_url(f"load-{i:04d}"), MessageBody="x")
        logged_before = server.log_path.read_text().count("operation=")
        browser.get(f"{server.endpoint}/console/")
        wait(browser, lambda d: len([r for r in d.execute_script("return wharfConsole.refreshes()")
                                     if r["page"] == "queues"]) >= 3, timeout=30)
        refreshes = [r for r in browser.execute_script("return wharfConsole.refreshes()") if r["page"] == "queues"]
        total = browser.execute_script("return wharfConsole.calls().total")
        browser.get("about:blank")
        logged = server.log_path.read_text().count("operation=") - logged_before
    finally:
        server.stop()
    print(f"\n1,000 queues, list page: calls per refresh {[r['calls'] for r in refreshes]}, "
          f"steady state {refreshes[-1]['byOperation']}; page total {total}, access log {logged}")
    # The first refresh also learns whether the server has the rate counters (once per tab).
    for steady in refreshes[1:]:
        assert steady["byOperation"] == {"ListQueues": 1, "GetQueueAttributes": 25, "PeekMessages": 10}
        assert steady["calls"] == 36
    assert refreshes[0]["calls"] <= 1 + 25 + 25 + 10
    # The server saw what the page counted (plus at most one refresh in flight when it left).
    assert total <= logged <= total + 1 + 2 * 25
