"""In the browser, a page load's callbacks send back the snapshot its shell names (assets/snapshot_pin.js),
and every answer names the snapshot it was built from (X-Snapshot-Id); a move to another page inside the
app asks for the newest snapshot and pins the page to the one its answer names."""

from __future__ import annotations

from dashboard.app.headers import SNAPSHOT_HEADER

HEADER = SNAPSHOT_HEADER.lower()  # as the browser reports header names


def test_callbacks_send_their_pages_snapshot_back(page, base_url, small_snapshot):
    served = (small_snapshot / "current").resolve().name
    callbacks = []
    page.on(
        "requestfinished",
        lambda request: (
            "_dash-update-component" in request.url
            and callbacks.append((request.post_data or "", request.headers.get(HEADER), request.response().headers))
        ),
    )
    page.goto(base_url + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator('meta[name="snapshot-id"]').get_attribute("content") == served
    assert callbacks, "the page sent no callback"
    assert {sent for _body, sent, _answer in callbacks} == {served}
    assert {answer.get(HEADER) for _body, _sent, answer in callbacks} == {served}

    callbacks.clear()
    page.click("nav >> text=About the data")  # inside the app: the pages router renders the new page
    page.locator("h1", has_text="About the data").first.wait_for()
    page.wait_for_load_state("networkidle")
    routed = [(sent, answer.get(HEADER)) for body, sent, answer in callbacks if "_pages_content.children" in body]
    assert routed == [(None, served)]  # asks for the newest; the page is then pinned to its answer's
