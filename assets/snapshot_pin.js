/* One page load, one data snapshot, whichever server behind the load balancer answers each request
   (dashboard/app/db.py, pin_request). The page's shell names the snapshot it was built from in
   <meta name="snapshot-id">; every callback sends it back as X-Snapshot-Id, so a server already on a
   newer snapshot answers from the page's one while it is kept on disk. A move to another page inside the
   app (the pages router renders the whole page again) asks for the newest snapshot instead, and the page
   is then pinned to the one its answer names. A file, not inline script: the Content-Security-Policy
   allows scripts from this server only. */
(function () {
    const meta = document.querySelector('meta[name="snapshot-id"]');
    if (!meta || !window.fetch) { return; }
    const HEADER = 'X-Snapshot-Id';
    const ROUTER_OUTPUT = '_pages_content.children';
    let pinned = meta.content;
    let firstPage = true;
    const fetchOriginal = window.fetch.bind(window);

    window.fetch = function (resource, init) {
        const url = typeof resource === 'string' ? resource : (resource && resource.url) || '';
        if (url.indexOf('_dash-update-component') === -1 || !init) { return fetchOriginal(resource, init); }
        const routesPage = typeof init.body === 'string' && init.body.indexOf(ROUTER_OUTPUT) !== -1;
        const headers = new Headers(init.headers || {});
        if (pinned && !(routesPage && !firstPage)) { headers.set(HEADER, pinned); }
        if (routesPage) { firstPage = false; }
        return fetchOriginal(resource, Object.assign({}, init, {headers: headers})).then(function (response) {
            const served = response.headers.get(HEADER);
            if (routesPage && served) { pinned = served; }
            return response;
        });
    };
}());
