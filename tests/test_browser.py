"""In a real browser: Debian's Chromium driven by Playwright against a live server.

Screenshots of each final page go to artifacts/ (ignored by git).
"""

import json
import os
import urllib.request
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from interviews.models import Correction, Event, Participant, Turn

from .conftest import ROOT, SEED_FIXTURE

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"
PASSWORD = "a-long-test-password-17"
# ReDoc's footer links Redocly's logo from their CDN; the CSP blocks it (nothing leaves
# the machine) and that is the only thing it blocks.
REDOCLY_LOGO = "Loading the image 'https://cdn.redoc.ly/"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
# test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (make test does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    # Anything the Content-Security-Policy blocks shows up on the console.
    page.blocked = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.blocked.append(message.text)
        ),
    )
    yield page
    context.close()
    assert [text for text in page.blocked if not text.startswith(REDOCLY_LOGO)] == []


@pytest.fixture
def seeded(transactional_db):
    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    if not Group.objects.filter(name="Editors").exists():
        # A transactional test before this one flushed the data migration's group.
        import_module("interviews.migrations.0004_editors_group").create_editors(apps, None)
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


def api_json(live_server, path):
    with urllib.request.urlopen(f"{live_server.url}{path}", timeout=10) as response:
        return json.load(response)


def log_in(page, live_server):
    """The admin's login form, as the editor."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_editor_reassigns_a_turn_then_reverts_it(live_server, page, seeded):
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    event = turn.event

    log_in(page, live_server)
    # From the event to its turns, to the turn.
    page.goto(f"{live_server.url}/admin/interviews/event/{event.pk}/change/")
    page.click("text=87 turns, in order")
    page.click(f"#result_list a[href*='/turn/{turn.pk}/change/']")
    page.click("#select2-id_speaker-container")
    page.fill(".select2-container--open .select2-search__field", "Gusman")
    page.click(".select2-results__option:has-text('Mikhail Gusman')")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    found = api_json(live_server, f"/api/turns/{turn.pk}")
    assert found["speaker"]["slug"] == "mikhail-gusman"
    assert Correction.objects.filter(model="interviews.turn", object_id=turn.pk, field="speaker")
    gusman = api_json(live_server, "/api/turns?speaker=mikhail-gusman&page_size=100")
    assert turn.pk in [t["id"] for t in gusman["results"]]

    page.goto(f"{live_server.url}/admin/interviews/turn/{turn.pk}/history/")
    history = page.inner_text("#change-history")
    assert "Mikhail Gusman" in history and "Vladislav Fronin" in history
    assert "editor" in history
    screenshot(page, "turn-history")

    # Revert to the state as imported (the oldest record).
    page.click("#change-history tbody tr:last-child a")
    page.click("input[type=submit][name=_save]")
    page.wait_for_selector(".messagelist .success")
    turn.refresh_from_db()
    assert turn.speaker == Participant.objects.get(slug="vladislav-fronin")
    assert api_json(live_server, f"/api/turns/{turn.pk}")["speaker"]["slug"] == "vladislav-fronin"
    screenshot(page, "turn-reverted")


def test_swagger_ui_renders_and_tries_turns(live_server, page, seeded):
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {path.strip().replace("\u200b", "") for path in paths} >= {
        "/api/events",
        "/api/events/{slug}",
        "/api/events/{slug}/turns",
        "/api/outlets",
        "/api/outlets/{slug}",
        "/api/participants",
        "/api/participants/{slug}",
        "/api/turns",
        "/api/turns/{id}",
    }
    operation = page.locator("#operations-turns-turns_list")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("input[placeholder='speaker']").fill("mikhail-gusman")
    operation.locator("button.execute").click()
    live = operation.locator(".live-responses-table tbody")
    live.locator(".response-col_status").first.wait_for()
    assert live.locator(".response-col_status").first.inner_text().strip() == "200"
    result = json.loads(live.locator(".response-col_description .microlight").first.inner_text())
    assert len(result["results"]) == 16
    assert {turn["speaker"]["slug"] for turn in result["results"]} == {"mikhail-gusman"}
    screenshot(page, "swagger-try-turns")


def test_redoc_renders_offline_under_the_csp(live_server, page, seeded):
    answered = []  # a request the CSP blocks never gets a response
    page.on("response", lambda response: answered.append(response.url))
    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector("h1:has-text('Interview transcripts API')")
    page.get_by_text("Every turn of speech and narrative passage").first.wait_for()
    assert answered and all(
        url.startswith((live_server.url, "blob:" + live_server.url)) for url in answered
    ), answered
    screenshot(page, "redoc")


def test_a_long_event_title_leaves_room_for_the_object_tools(live_server, page, seeded):
    """At 1280 px the event's title ran under History / View on site."""
    event = Event.objects.get()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/interviews/event/{event.pk}/change/")
    title = page.locator("#content > h2").bounding_box()
    tools = page.locator("#content .object-tools").bounding_box()
    screenshot(page, "event-change-1280")
    assert title and tools and tools["width"] > 0
    overlap_x = min(title["x"] + title["width"], tools["x"] + tools["width"]) - max(
        title["x"], tools["x"]
    )
    overlap_y = min(title["y"] + title["height"], tools["y"] + tools["height"]) - max(
        title["y"], tools["y"]
    )
    assert overlap_x <= 0 or overlap_y <= 0, (title, tools)


def test_turns_filtered_by_a_speaker_chosen_by_autocomplete(live_server, page, seeded):
    """The speaker filter asks as the editor types, and choosing reloads the list."""
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/interviews/turn/")
    page.click("#changelist-filter .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Gusman")
    page.click(".select2-results__option:has-text('Mikhail Gusman')")
    page.wait_for_url("**speaker__id__exact=*")
    gusman = Participant.objects.get(slug="mikhail-gusman")
    assert f"speaker__id__exact={gusman.pk}" in page.url
    assert page.locator("#result_list tbody tr").count() == 16
    screenshot(page, "turns-by-speaker")


@pytest.fixture
def long_event(seeded):
    """An event of 3,000 turns among 30 speakers, beside the seed."""
    from interviews.models import Appearance, turn_order_date

    event = Event.objects.create(slug="long-hearing", title="A long hearing", date="2024-05-01")
    people = Participant.objects.bulk_create(
        Participant(name=f"Witness {n:02d}", slug=f"witness-{n:02d}", name_key=f"witness {n:02d}")
        for n in range(30)
    )
    Appearance.objects.bulk_create(Appearance(event=event, participant=p) for p in people)
    Turn.objects.bulk_create(
        Turn(
            event=event,
            sequence=n,
            speaker=people[n % 30],
            speaker_label=people[n % 30].name,
            text=f"Statement number {n} about the harbour.",
            word_count=6,
            event_date=turn_order_date(event.date),
        )
        for n in range(1, 3001)
    )
    return event


def test_an_editor_works_through_a_long_transcript(live_server, page, long_event):
    """From the event to its 3,000 turns a page at a time, then two of page 2 reassigned;
    the list readable at 1280 px (no sideways scrolling)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/interviews/event/{long_event.pk}/change/")
    page.click("text=3000 turns, in order")
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == 100
    headers = [h.strip().lower() for h in page.locator("#result_list thead th").all_inner_texts()]
    assert headers[1:] == ["sequence", "speaker", "kind", "text", "event"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "long-transcript-1280")
    page.click(".paginator a:text-is('2')")
    page.wait_for_url("**p=2**")
    rows = page.locator("#result_list tbody tr")
    assert rows.first.locator("th").inner_text().strip() == "101"
    rows.nth(0).locator("input.action-select").check()
    rows.nth(1).locator("input.action-select").check()
    page.select_option("select[name=action]", "reassign_speaker")
    page.click("button[name=index]")
    page.click(".field-speaker .select2-selection")  # none chosen yet: an empty box
    page.fill(".select2-container--open .select2-search__field", "Witness 07")
    page.click(".select2-results__option:has-text('Witness 07')")
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist .success")
    moved = Turn.objects.filter(event=long_event, sequence__in=[101, 102])
    assert {turn.speaker.slug for turn in moved} == {"witness-07"}
    screenshot(page, "long-transcript-reassigned")
