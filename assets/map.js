/* The district map's zoom buttons (pages/map.py): the view shown is read from the live projection (so
   a drag is kept) and narrowed to half its longitudes and latitudes around its middle, until the
   districts of a city are targets of a finger's size. A file, not inline script: the pages'
   Content-Security-Policy allows scripts from this server only. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    districtMap: {
        zoom: function (zoomIn, zoomOut, reset) {
            const gd = document.querySelector('.map-frame .js-plotly-plot');
            const full = gd && gd._fullLayout, geo = full && full.geo;
            if (!geo || !geo._subplot) { return window.dash_clientside.no_update; }
            const trigger = window.dash_clientside.callback_context.triggered_id;
            if (trigger === 'map-zoom-reset') {
                gd.__zoom = 1;
                window.Plotly.relayout(gd, {'geo.fitbounds': 'locations', 'geo.lonaxis.range': null, 'geo.lataxis.range': null});
                return 'The whole state';
            }
            const size = full._size, domain = geo.domain, projection = geo._subplot.projection;
            const left = size.l + size.w * domain.x[0], right = size.l + size.w * domain.x[1];
            const top = size.t + size.h * (1 - domain.y[1]), bottom = size.t + size.h * (1 - domain.y[0]);
            const [west, north] = projection.invert([left, top]), [east, south] = projection.invert([right, bottom]);
            const [lon, lat] = projection.invert([(left + right) / 2, (top + bottom) / 2]);
            const before = gd.__zoom || 1;
            const zoom = Math.max(1, Math.min(64, before * (trigger === 'map-zoom-in' ? 2 : 0.5)));
            if (zoom === before) { return window.dash_clientside.no_update; }
            const halfLon = (east - west) / 2 * before / zoom, halfLat = (north - south) / 2 * before / zoom;
            gd.__zoom = zoom;
            window.Plotly.relayout(gd, {
                'geo.fitbounds': false,
                'geo.lonaxis.range': [lon - halfLon, lon + halfLon],
                'geo.lataxis.range': [lat - halfLat, lat + halfLat],
            });
            return 'Zoomed in ' + zoom + ' times';
        },
    },
});
