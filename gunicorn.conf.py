"""gunicorn's settings for every start of the site: gunicorn reads `./gunicorn.conf.py` from the folder
it is started in, and `make serve`, the browser tests and the benches all start it from this one.

No server banner: gunicorn names itself in a `Server` header on every answer and has no setting to
leave it out (its issue 825); its HTTP/1 responses take that name from this module constant, read as
each response is made. An empty name says nothing of the software behind the site.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = ""


def post_worker_init(worker):
    """Each worker watches where `current` points, so a new snapshot is opened and its most asked answers
    computed before the worker serves it (dashboard/app/answer_cache.py: the publish's wake)."""
    import gc

    from dashboard.app import answer_cache

    answer_cache.watch_for_snapshots(worker.wsgi)
    # What the worker has made by now (the app, its pages' registry, imported modules) lives as long as the
    # worker: out of the collector's way, it is not scanned again at each collection that rendering a page
    # sets off (a race page 133 -> 123 ms, measured in one process).
    gc.freeze()
