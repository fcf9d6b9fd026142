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

    # Inside the app: the pages router renders the new page. (Waited for as an event: the page can show
    # the answer before the browser reports its request finished, and its load state does not change.)
    with page.expect_request_finished(
        lambda request: "_dash-update-component" in request.url and "_pages_content.children" in request.post_data
    ) as routed:
        page.click("nav >> text=About the data")
    page.locator("h1", has_text="About the data").first.wait_for()
    request = routed.value
    # Asks for the newest; the page is then pinned to its answer's.
    assert (request.headers.get(HEADER), request.response().headers.get(HEADER)) == (None, served)
