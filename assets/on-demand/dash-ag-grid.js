/* dash-ag-grid on demand (dashboard/static.py on_demand_grid): its bundle (1.3 MB, 0.36 MB compressed) is fetched
   only when a page shows a table, not by every page. Dash 4.4 looks a component up in `window[namespace]` when it
   draws it and has no on-demand loading of its own, so `window.dash_ag_grid` is this stand-in until then:
   - its AgGrid draws the real one once the bundle has run; before, an empty box of the table's size (nothing
     moves when the table arrives), and it asks for the bundle (the first visit or a client-side navigation alike);
   - it tells Dash it is not ready yet (`_dashprivate_isLazyComponentReady`, as Dash's own async components do), so
     Dash holds the callbacks of a table until the bundle has run, and asking starts the download early;
   - the bundle's `window.dash_ag_grid = ...` is kept aside, not put in place: the stand-in stays the component Dash
     draws, so a table is never unmounted and drawn again when the bundle arrives;
   - what the table's code adds to the namespace (useGridFilter) is kept on the stand-in;
   - getApi and getApiAsync answer for the real library (getApi throws until it has loaded, as it does for a table
     not drawn yet). */
(function () {
    var script = document.currentScript;
    var bundle = script && script.getAttribute("data-bundle");
    if (!bundle || window.dash_ag_grid) { return; }  // the library was loaded by Dash itself
    var React = window.React;
    var library = null;
    var loading = null;

    function load() {
        if (!loading) {
            loading = new Promise(function (resolve) {
                var tag = document.createElement("script");
                tag.src = bundle;
                tag.onload = function () { resolve(library); };
                // the browser reports the failure; Dash's callbacks are not held for ever
                tag.onerror = function () { loading = null; resolve(null); };
                document.head.appendChild(tag);
            });
        }
        return loading;
    }

    function AgGrid(props) {
        var loaded = React.useState(library !== null);
        React.useEffect(function () {
            var live = true;
            if (!library) {
                load().then(function (lib) { if (live && lib) { loaded[1](true); } });
            }
            return function () { live = false; };
        }, []);
        if (library && loaded[0]) { return React.createElement(library.AgGrid, props); }
        return React.createElement("div", {id: props.id, className: props.className, style: props.style,
                                           "aria-busy": "true"});
    }
    // What Dash reads on the component itself, as the real AgGrid declares it: Dash then passes `dashRenderType`
    // (the grid skips its redraw on its own prop changes), and its persisted props once the bundle has said them.
    AgGrid.dashRenderType = true;
    Object.defineProperty(AgGrid, "dashPersistence", {
        get: function () { return library ? library.AgGrid.dashPersistence : undefined; }
    });
    Object.defineProperty(AgGrid, "_dashprivate_isLazyComponentReady", {
        get: function () { return library ? true : load().then(function () { return true; }); }
    });

    var standIn = {
        AgGrid: AgGrid,
        getApi: function (id) {
            if (!library) { throw new Error("dash_ag_grid is not loaded yet"); }
            return library.getApi(id);
        },
        getApiAsync: function (id) {
            return load().then(function (lib) {
                if (!lib) { throw new Error("dash_ag_grid could not be loaded"); }
                return lib.getApiAsync(id);
            });
        }
    };
    Object.defineProperty(window, "dash_ag_grid", {
        configurable: true,
        get: function () { return standIn; },
        // the table's own code adds to the namespace (`window.dash_ag_grid = window.dash_ag_grid || {}`): that
        // lands on the stand-in, which is not the library
        set: function (lib) { if (lib !== standIn) { library = lib; } }
    });
})();
