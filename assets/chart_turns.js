/* Charts drawn one at a time, top first, each on screen before the next is drawn (issue 15: the first
   chart within 1 s). Once plotly.js has loaded, dcc.Graph draws every chart of a page in one block of
   script (a race or candidate page's five to seven charts: 400-550 ms), and the browser shows none of
   them until the whole block ends. Here a draw (Plotly.newPlot or Plotly.react, which dcc.Graph calls)
   asked for while another chart has been drawn in the same frame waits for a later frame, after the
   browser has painted: the top chart appears as soon as it is drawn, the others follow one a frame in
   the order dcc.Graph asks (the page's order), and the page answers input between them. A lone draw (a
   callback's new figure, a map switch) is not delayed. The tables, CSV buttons and captions of the charts
   are in the page from the start; only the drawings wait. A file, not inline script: the
   Content-Security-Policy allows scripts from this server only. */
(function () {
    const waiting = [];  // draws waiting for their turn, first asked first drawn
    let drawnThisFrame = false;

    // A requestAnimationFrame callback runs just before the frame is painted; a task it queues runs after.
    // A tab in the background paints no frames: the charts below the top one wait until it is shown.
    function afterPaint(then) {
        requestAnimationFrame(function () { setTimeout(then, 0); });
    }

    function nextTurn() {
        const turn = waiting.shift();
        if (turn) { turn(); } else { drawnThisFrame = false; }
    }

    function oneAFrame(draw) {
        return function (gd) {
            const self = this, args = arguments;
            function run() {
                drawnThisFrame = true;
                try {
                    // A chart taken off the page while it waited (a move to another page) is not drawn.
                    if (gd instanceof Element && !gd.isConnected) { return Promise.resolve(gd); }
                    return draw.apply(self, args);
                } finally {
                    afterPaint(nextTurn);
                }
            }
            if (!drawnThisFrame) { return run(); }
            return new Promise(function (resolve, reject) {
                waiting.push(function () {
                    try { Promise.resolve(run()).then(resolve, reject); } catch (error) { reject(error); }
                });
            });
        };
    }

    function takeTurns(plotly) {
        if (plotly && !plotly.__drawsOneAFrame) {
            for (const name of ['newPlot', 'react']) {
                if (typeof plotly[name] === 'function') { plotly[name] = oneAFrame(plotly[name]); }
            }
            Object.defineProperty(plotly, '__drawsOneAFrame', {value: true});
        }
        return plotly;
    }

    // plotly.js is loaded by dcc.Graph on a page with a chart, after this script: its functions are taken
    // in turn when it sets window.Plotly. A setter already there (a measuring tool's) still gets the value.
    const before = Object.getOwnPropertyDescriptor(window, 'Plotly');
    if (before && ('value' in before && before.value || !before.configurable)) { takeTurns(before.value); return; }
    let plotly;
    Object.defineProperty(window, 'Plotly', {
        configurable: true,
        enumerable: true,
        get: function () { return before && before.get ? before.get.call(window) : plotly; },
        set: function (value) {
            takeTurns(value);
            if (before && before.set) { before.set.call(window, value); } else { plotly = value; }
        },
    });
}());
