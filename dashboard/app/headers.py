"""Security headers on every answer of the site: pages, assets, callbacks, the API, feeds, errors.

Flask-Talisman sends most of them; a Content-Security-Policy that allows only this site's own
files, Dash's inline scripts by their hashes, and nothing from any other host:

- `default-src 'self'`: every fetch, font, frame and worker from this server only (the site uses
  no CDN: Dash serves its scripts locally, the maps' boundaries come from /geo/).
- `script-src 'self'` and one `'sha256-...'` per inline script of the page shell: Dash's renderer
  start-up and the clientside callbacks, which Dash writes inline (`Dash.csp_hashes`). No
  'unsafe-inline', no 'unsafe-eval': neither Dash, Plotly's SVG charts nor the receipts grid need
  `eval` (the grid's formatter functions are read by a parser, not evaluated).
- `style-src 'self' 'unsafe-inline'`: React, Plotly and AG Grid write `style="..."` attributes and
  `<style>` elements at run time (Plotly's hover and modebar rules, AG Grid's theme): without
  'unsafe-inline' Chromium blocks them on every page (tried). A hash cannot allow what is written at
  run time, and beside a hash 'unsafe-inline' would be ignored. Inline styles cannot run script; the
  risk left is CSS-based snooping, which needs markup injection that escaping already prevents.
- `img-src 'self' data: blob:`: the charts' "Download plot as a PNG" draws the chart's SVG as an
  image from a `blob:` URL (its own, made in the page) onto a canvas; Plotly's and AG Grid's icons
  are `data:` SVGs.
- `object-src 'none'`, `base-uri 'none'`, `form-action 'self'`: no plugins, no `<base>` rewriting
  relative URLs, forms (the donor search) only submit here.
- `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for older browsers): no other site can
  frame a page, so no click-jacking.

And beside the CSP: `X-Content-Type-Options: nosniff`, `Referrer-Policy:
strict-origin-when-cross-origin` (other sites see only our origin), a `Permissions-Policy` that
turns off the powerful features the site never uses, and `Cross-Origin-Opener-Policy: same-origin`
(a page opened from another site cannot keep a handle on ours). Strict-Transport-Security is sent
on HTTPS requests (as a TLS-terminating proxy reports them with `X-Forwarded-Proto`).

`X-Snapshot-Id` on every answer but static files: the id of the data snapshot it was built from (the
one the request was pinned to, dashboard/app/db.py), so a client, a cache or a test can tell that the
answers of one page load come from one snapshot; the page's shell names it in `<meta name="snapshot-id">`
too, for the page's script to send back with its callbacks (assets/snapshot_pin.js).

HTTPS itself is the reverse proxy's: Talisman's redirect to HTTPS is off, the site also answers on
plain HTTP on 127.0.0.1. The `Server` banner is gunicorn's, dropped in `gunicorn.conf.py`.
"""

from __future__ import annotations

from html import escape

import dash
from flask_talisman import DENY, Talisman

from dashboard.app import db

SNAPSHOT_HEADER = "X-Snapshot-Id"

STATIC_POLICY = {
    "default-src": "'self'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Features a page could ask the browser for; the site uses none of them.
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}


def protect(app: dash.Dash) -> None:
    """Every answer of `app`'s server carries the headers above."""
    talisman = Talisman(
        app.server,
        content_security_policy={**STATIC_POLICY, "script-src": ["'self'"]},
        frame_options=DENY,
        permissions_policy=PERMISSIONS_POLICY,
        force_https=False,  # the proxy in front redirects to HTTPS; 127.0.0.1 is served over HTTP
    )

    def hash_inline_scripts(response):
        # Dash adds an inline script of its own on its first request (the pages router's title
        # callback, in a `before_request`), so the hashes are taken as each answer leaves, when every
        # script the shell can hold is known (a few microseconds). Registered after Talisman, this
        # runs before it: Flask runs `after_request` functions last registered first.
        talisman.content_security_policy["script-src"] = ["'self'", *app.csp_hashes()]  # read on each answer
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"  # Talisman does not send this one
        snapshot_id = db.pinned_snapshot_id()
        if snapshot_id:
            response.headers[SNAPSHOT_HEADER] = snapshot_id
        return response

    app.server.after_request(hash_inline_scripts)


def snapshot_meta_tag() -> str:
    """The page shell's note of the snapshot it was built from, which its script sends back with each callback."""
    snapshot_id = db.pinned_snapshot_id()
    return f'<meta name="snapshot-id" content="{escape(snapshot_id)}">' if snapshot_id else ""
