/* Client-side helpers of the Metropolis dashboard (no network access, no third-party code). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    metropolis: {
        /* Scroll to the element named by the URL's #hash once a page has rendered it. */
        scrollToHash: function () {
            var hash = window.location.hash;
            if (hash && hash.length > 1) {
                var target = document.getElementById(decodeURIComponent(hash.slice(1)));
                if (target) {
                    // no smooth scrolling for a reader who asked the system for less motion (WCAG 2.3.3)
                    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
                    setTimeout(function () {
                        target.scrollIntoView({behavior: still ? "auto" : "smooth", block: "start"});
                    }, 50);
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

/* Accessibility helpers (WCAG 2.2 AA). */
(function () {
    /* Say something to screen readers through the page's polite status region (dashboard.ids.Shell.ANNOUNCE). */
    function announce(text) {
        var region = document.getElementById("shell-announce");
        if (!region) { return; }
        region.textContent = "";
        setTimeout(function () { region.textContent = text; }, 50);
    }

    function copyText(text) {
        if (navigator.clipboard && window.isSecureContext) {
            return navigator.clipboard.writeText(text);
        }
        // Plain http outside localhost has no Clipboard API: the older selection-based copy still works there.
        var area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        var ok = document.execCommand("copy");
        document.body.removeChild(area);
        return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
    }

    /* The "Link" and "Embed" buttons of every chart (dashboard.components.copy_button). */
    document.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest("button[data-copy]");
        if (!button) { return; }
        copyText(button.getAttribute("data-copy")).then(function () {
            announce(button.getAttribute("data-copied"));
        }).catch(function () { announce(button.getAttribute("data-copy")); });
    });

    /* Dash 4's dcc.Dropdown puts an aria-hidden <input tabindex=0> before its real button (tabindex=-1) and names
       the button by its value only. Make the button the one tab stop, keep the hidden input out of the tab order
       (inert), and name the button by its label first ("Region, All regions"), as a native control would be. */
    function mendDropdown(wrapper) {
        var trampoline = wrapper.querySelector(":scope > input.dash-dropdown-focus-target");
        var button = wrapper.querySelector(":scope > button.dash-dropdown");
        if (!trampoline || !button) { return; }
        trampoline.inert = true;
        trampoline.tabIndex = -1;
        button.tabIndex = 0;
        var label = button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
        if (label) {
            if (!label.id) { label.id = button.id + "-label"; }
            var names = (button.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
            if (names.indexOf(label.id) < 0) {
                button.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
            }
        }
    }
    /* Space opens a closed dropdown, as it opens a native <select> (Dash's opens on Enter and ArrowDown only). */
    function spaceOpens(event) {
        var button = event.target;
        if (event.key !== " " || !button.matches || !button.matches("button.dash-dropdown") ||
            button.getAttribute("aria-expanded") === "true") { return; }
        event.preventDefault();
        event.stopPropagation();
        if (event.type === "keyup") {
            button.dispatchEvent(new KeyboardEvent("keyup", {key: "Enter", code: "Enter", bubbles: true}));
        }
    }
    document.addEventListener("keydown", spaceOpens, true);
    document.addEventListener("keyup", spaceOpens, true);

    function mendAll(root) {
        (root.querySelectorAll ? root : document).querySelectorAll(".dash-dropdown-wrapper").forEach(mendDropdown);
    }
    new MutationObserver(function (records) {
        records.forEach(function (record) {
            record.addedNodes.forEach(function (node) {
                if (node.nodeType !== 1) { return; }
                var wrapper = node.closest(".dash-dropdown-wrapper");
                if (wrapper) { mendDropdown(wrapper); }
                mendAll(node);
            });
        });
    }).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener("DOMContentLoaded", function () { mendAll(document); });
})();

/* Tabs (dashboard.components.tabs): a click or the arrow keys choose a tab; its panel shows, the others hide. */
(function () {
    function choose(tab, focus) {
        var list = tab.closest("[role=tablist]");
        list.querySelectorAll("[role=tab]").forEach(function (other) {
            var chosen = other === tab;
            other.setAttribute("aria-selected", chosen ? "true" : "false");
            other.tabIndex = chosen ? 0 : -1;
            other.classList.toggle("active", chosen);
            var panel = document.getElementById(other.getAttribute("aria-controls"));
            if (panel) { panel.hidden = !chosen; }
        });
        if (focus) { tab.focus(); }
    }
    document.addEventListener("click", function (event) {
        var tab = event.target.closest && event.target.closest(".aria-tabs [role=tab]");
        if (tab) { choose(tab, false); }
    });
    document.addEventListener("keydown", function (event) {
        var tab = event.target.closest && event.target.closest(".aria-tabs [role=tab]");
        if (!tab) { return; }
        var all = Array.prototype.slice.call(tab.closest("[role=tablist]").querySelectorAll("[role=tab]"));
        var i = all.indexOf(tab), next = null;
        if (event.key === "ArrowRight") { next = all[(i + 1) % all.length]; }
        else if (event.key === "ArrowLeft") { next = all[(i - 1 + all.length) % all.length]; }
        else if (event.key === "Home") { next = all[0]; }
        else if (event.key === "End") { next = all[all.length - 1]; }
        if (next) { event.preventDefault(); choose(next, true); }
    });
})();

/* Forms checked by the server (the Record page, dashboard.pages.record): after a refused save the error summary
   (.error-summary) takes focus, and every field with a message under it says aria-invalid and is described by that
   message; a field whose message is gone is valid again. */
(function () {
    function control(group) {
        return group.querySelector("input:not([type=hidden]):not(.dash-dropdown-focus-target), textarea, select, " +
                                   "button.dash-dropdown");
    }
    function markFields(form) {
        form.querySelectorAll(".field-error[id]").forEach(function (message) {
            var group = message.parentElement;  // a field's group has an id (dashboard.ids.Record.group)
            var field = group.id ? control(group) : null;
            if (!field) { return; }
            var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
                return id && id !== message.id;
            });
            if (message.textContent.trim()) {
                field.setAttribute("aria-invalid", "true");
                described.push(message.id);
            } else {
                field.removeAttribute("aria-invalid");
            }
            if (described.length) { field.setAttribute("aria-describedby", described.join(" ")); }
            else { field.removeAttribute("aria-describedby"); }
        });
    }
    function formOf(node) {
        return node.closest("form, [role=tabpanel]");
    }
    new MutationObserver(function (records) {
        var forms = new Set(), summary = null;
        records.forEach(function (record) {
            var target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
            if (target && target.closest(".field-error") && formOf(target)) { forms.add(formOf(target)); }
            var added = Array.prototype.slice.call(record.addedNodes);
            if (record.type === "attributes") { added = [record.target]; }  // a new attempt (data-attempt)
            added.forEach(function (node) {
                if (node.nodeType !== 1) { return; }
                var found = node.matches(".error-summary") ? node : node.querySelector(".error-summary");
                if (found) { summary = found; if (formOf(found)) { forms.add(formOf(found)); } }
            });
        });
        forms.forEach(markFields);
        if (summary) { summary.focus(); }
    }).observe(document.documentElement, {childList: true, subtree: true, characterData: true,
                                           attributes: true, attributeFilter: ["data-attempt"]});
})();

// A chart is one image for assistive technology (role="img", named by its title, described by its data, plotly's
// drawing aria-hidden: dashboard/components.py accessible_graph). Plotly's mode bar draws real <button>s inside
// that hidden drawing; taken out of the Tab order (tabindex -1) they stay clickable with a mouse, while the
// keyboard has the chart's export menu and its "Show as table" (axe: aria-hidden-focus).
(function () {
    function untab(root) {
        if (root.nodeType !== 1) { return; }
        var buttons = root.matches(".chart-image .modebar-btn") ? [root] :
            root.querySelectorAll(".chart-image .modebar-btn:not([tabindex='-1'])");
        Array.prototype.forEach.call(buttons, function (b) { b.setAttribute("tabindex", "-1"); });
    }
    new MutationObserver(function (records) {
        records.forEach(function (record) { Array.prototype.forEach.call(record.addedNodes, untab); });
    }).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener("DOMContentLoaded", function () { untab(document.documentElement); });
})();
