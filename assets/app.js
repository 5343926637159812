/* Client-side helpers of the Metropolis dashboard (no network access, no third-party code). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    metropolis: {
        /* Scroll to the element named by the URL's #hash once a page has rendered it. */
        scrollToHash: function () {
            var hash = window.location.hash;
            if (hash && hash.length > 1) {
                var target = document.getElementById(decodeURIComponent(hash.slice(1)));
                if (target) {
                    setTimeout(function () { target.scrollIntoView({behavior: "smooth", block: "start"}); }, 50);
                }
            }
            return window.dash_clientside.no_update;
        }
    }
});

/* Print: lay every chart out at the printable width of A4/Letter (about 700 CSS px inside 12 mm margins), so no
   chart is cut at the side, then give them back their on-screen width. */
(function () {
    var PRINT_WIDTH = 700;
    function graphs() {
        return Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot"));
    }
    function toPrint() {
        if (!window.Plotly) { return; }
        graphs().forEach(function (g) { window.Plotly.relayout(g, {width: PRINT_WIDTH}); });
    }
    function toScreen() {
        if (!window.Plotly) { return; }
        graphs().forEach(function (g) { window.Plotly.relayout(g, {width: null, autosize: true}); });
    }
    window.addEventListener("beforeprint", toPrint);
    window.addEventListener("afterprint", toScreen);
    window.metropolisPrintLayout = {toPrint: toPrint, toScreen: toScreen};
})();

/* Live: ask the server for the store's data version; a new version redraws the page (dashboard.shell). */
window.dash_clientside = Object.assign({}, window.dash_clientside);
window.dash_clientside.metropolis = Object.assign({}, window.dash_clientside.metropolis, {
    pollVersion: function (n, current) {
        if (document.hidden) { return window.dash_clientside.no_update; }
        return fetch("/api/v1/version", {cache: "no-store", credentials: "same-origin"})
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (body) {
                if (!body || body.version === undefined || body.version === current) {
                    return window.dash_clientside.no_update;
                }
                return body.version;
            })
            .catch(function () { return window.dash_clientside.no_update; });
    },
    /* A long table pages its rows from the server: when what it lists changes (a search, a kind), drop the rows
       it holds so it asks again. A table holding all its rows filters itself and is left alone. */
    purgeGrid: function (_value, gridId) {
        if (window.dash_ag_grid && window.dash_ag_grid.getApiAsync) {
            window.dash_ag_grid.getApiAsync(gridId).then(function (api) {
                if (api.getGridOption("rowModelType") === "infinite") { api.purgeInfiniteCache(); }
            }).catch(function () { return null; });
        }
        return window.dash_clientside.no_update;
    }
});
