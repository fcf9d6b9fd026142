/* AG Grid's bundle (1.3 MB, about 350 KB compressed) is downloaded only by a page that draws a grid: the
 * receipts explorer. Dash's renderer finds a component as window[namespace][type] when it draws it, so
 * this small stand-in is the dash_ag_grid namespace on every page (dashboard/app/bundles.py): its AgGrid
 * loads the real bundle the first time a grid is drawn, then draws the real grid with the same props.
 * It stays the namespace afterwards, so Dash never swaps a drawn grid for another component type (which
 * would remount it and ask for its rows again). */
(function () {
    'use strict';
    var bundleUrl = document.currentScript.getAttribute('data-bundle');
    var real = null;
    var loading = null;
    var standIn = {};

    function load() {
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                var tag = document.createElement('script');
                tag.src = bundleUrl;
                tag.onload = resolve;
                tag.onerror = function () { reject(new Error('AG Grid did not load from ' + bundleUrl)); };
                document.head.appendChild(tag);
            }).then(function () {
                real = window.dash_ag_grid;  // the bundle set the real namespace
                window.dash_ag_grid = standIn;
                AgGrid.dashPersistence = real.AgGrid.dashPersistence;
            });
        }
        return loading;
    }

    function AgGrid(props) {
        var React = window.React;
        var state = React.useState(real !== null);
        var ready = state[0];
        var setReady = state[1];
        React.useEffect(function () {
            if (!ready) {
                load().then(function () { setReady(true); }, function (error) { console.error(error); });
            }
        }, []);
        return ready ? React.createElement(real.AgGrid, props) : null;
    }
    AgGrid.dashRenderType = true;  // as the real AgGrid: Dash tells it whether new props came from a callback

    standIn.AgGrid = AgGrid;
    standIn.getApi = function (id) { return real ? real.getApi(id) : undefined; };
    standIn.getApiAsync = function (id) { return load().then(function () { return real.getApiAsync(id); }); };
    window.dash_ag_grid = standIn;
})();
