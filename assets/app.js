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

/* Print (issue 13). When the page goes to paper (the print dialog, or print media emulated as a PDF renderer does):
   - every chart is laid out at the printable width of A4 and Letter (A4: 703, Letter: 725 CSS px inside 12 mm
     margins), so none is cut at the side, and gets its on-screen width back afterwards;
   - every AG Grid is printed as a real <table> of all its rows, in the order and with the filter shown (a grid draws
     only the rows in view, and its header would print once): the table's header repeats on every page and a row is
     never cut (assets/app.css);
   - a source note under charts that draw the same source line in themselves is printed once (in the chart).
   The matchMedia listener covers an emulated print (headless Chromium's page.pdf); beforeprint the print dialog. */
(function () {
    var PRINT_WIDTH = 700;
    var PRINT_CHARS = 150;  // characters of a 7.5 pt table line across PRINT_WIDTH (assets/app.css .print-table)
    var printMedia = window.matchMedia ? window.matchMedia("print") : null;

    function all(selector, root) {
        return Array.prototype.slice.call((root || document).querySelectorAll(selector));
    }
    function relayoutCharts(width) {
        if (!window.Plotly) { return; }
        all(".js-plotly-plot").forEach(function (g) {
            if (!g._fullLayout) { return; }
            window.Plotly.relayout(g, width ? {width: width} : {width: null, autosize: true});
        });
    }

    /* A markdown cell's text ("[Name](/members/x), ..."): its links as links, the rest as text (never as HTML). */
    var MARKDOWN_LINK = /\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)/g;
    function fillCell(cell, text, markdown) {
        if (!markdown) { cell.textContent = text; return; }
        var last = 0, m;
        MARKDOWN_LINK.lastIndex = 0;
        while ((m = MARKDOWN_LINK.exec(text)) !== null) {
            cell.appendChild(document.createTextNode(text.slice(last, m.index)));
            var link = document.createElement("a");
            link.href = m[2];
            link.textContent = m[1].replace(/\\(.)/g, "$1");
            cell.appendChild(link);
            last = MARKDOWN_LINK.lastIndex;
        }
        cell.appendChild(document.createTextNode(text.slice(last)));
    }
    function gridApi(el) {
        try { return window.dash_ag_grid && window.dash_ag_grid.getApi ? window.dash_ag_grid.getApi(el.id) : null; }
        catch (e) { return null; }  // a grid not ready yet prints as it is
    }
    function printTable(el) {
        var api = gridApi(el);
        if (!api || !api.getAllDisplayedColumns) { return; }
        var columns = api.getAllDisplayedColumns();
        var table = document.createElement("table");
        table.className = "print-table";
        table.setAttribute("data-grid", el.id);
        var headers = columns.map(function (col) { return api.getDisplayNameForColumn(col, "header") || ""; });
        var rows = [];
        var each = api.getGridOption && api.getGridOption("rowModelType") === "infinite"
            ? api.forEachNode.bind(api) : api.forEachNodeAfterFilterAndSort.bind(api);
        each(function (node) {
            if (!node.data) { return; }  // a block of an infinite grid not loaded
            rows.push(columns.map(function (col) {
                var value = api.getCellValue ? api.getCellValue({rowNode: node, colKey: col, useFormatter: true})
                    : node.data[col.getColDef().field];
                return value === null || value === undefined ? "" : String(value);
            }));
        });
        // the columns share the paper by how much text they hold (their mean length, at most 60 characters), and
        // each gets at least its longest word (a date, "Emirates"), so the percentages hold and a long source or
        // title gets the room the short columns do not need
        function longestWord(text) {
            return Math.max.apply(null, text.replace(/\]\([^)]*\)/g, "").split(/[\s-]+/).map(function (w) {
                return w.length;
            }));
        }
        var weights = columns.map(function (col, i) {
            var longest = longestWord(headers[i]), sum = 0;
            rows.forEach(function (r) {
                longest = Math.max(longest, longestWord(r[i]));  // a date may wrap at its hyphens
                sum += r[i].replace(/\]\([^)]*\)/g, "").length;
            });
            return {least: Math.max(longest + 2, 4), want: Math.min(60, rows.length ? sum / rows.length : 0)};
        });
        // the paper holds about PRINT_CHARS characters a line at this size: every column gets its longest word,
        // the long texts share what is left by how much they hold
        var least = weights.reduce(function (a, w) { return a + w.least; }, 0);
        var extra = weights.reduce(function (a, w) { return a + Math.max(0, w.want - w.least); }, 0);
        var scale = extra > 0 ? Math.max(0, PRINT_CHARS - least) / extra : 0;
        weights = weights.map(function (w) { return w.least + scale * Math.max(0, w.want - w.least); });
        var total = weights.reduce(function (a, b) { return a + b; }, 0);
        var group = document.createElement("colgroup");
        weights.forEach(function (w) {
            var c = document.createElement("col");
            c.style.width = (100 * w / total).toFixed(1) + "%";
            group.appendChild(c);
        });
        table.appendChild(group);
        var head = table.createTHead().insertRow();
        headers.forEach(function (text) {
            var th = document.createElement("th");
            th.scope = "col";
            th.textContent = text;
            head.appendChild(th);
        });
        var body = table.createTBody();
        rows.forEach(function (row) {
            var tr = body.insertRow();
            row.forEach(function (text, i) {
                var cell = tr.insertCell();
                if (/^[\d\s.,:%+\u2212]{1,12}$/.test(text)) { cell.className = "print-nowrap"; }  // a number
                fillCell(cell, text, columns[i].getColDef().cellRenderer === "markdown");
            });
        });
        el.insertAdjacentElement("afterend", table);
        el.classList.add("has-print-table");
    }
    function removeTables() {
        all("table.print-table").forEach(function (t) { t.remove(); });
        all(".data-grid.has-print-table").forEach(function (g) { g.classList.remove("has-print-table"); });
    }

    /* The source text of a source note, and the text of the charts above it (up to the previous note or heading),
       both without white space (a chart wraps its source line). */
    function squeeze(text) { return (text || "").replace(/\s+/g, ""); }
    function markDuplicateSources() {
        all(".source-note").forEach(function (note) {
            var line = note.querySelector(":scope > p");
            var label = line && line.querySelector(".fw-semibold");
            if (!line || !label) { return; }
            var source = squeeze(line.textContent.slice(label.textContent.length));
            var charts = [];
            for (var el = note.previousElementSibling; el && !el.matches(".source-note, h1, h2, h3");
                 el = el.previousElementSibling) {
                charts = charts.concat(all(".js-plotly-plot", el));
                if (el.matches(".js-plotly-plot")) { charts.push(el); }
            }
            var drawn = source && charts.length > 0 && charts.every(function (g) {
                return squeeze(all(".annotation-text", g).map(function (t) { return t.textContent; }).join(" "))
                    .indexOf(source) >= 0;
            });
            line.classList.toggle("print-duplicate", !!drawn);
        });
    }

    function toPrint() {
        relayoutCharts(PRINT_WIDTH);
        removeTables();
        all(".data-grid[id]").forEach(printTable);
        markDuplicateSources();
    }
    function toScreen() {
        relayoutCharts(null);
        removeTables();
    }
    window.addEventListener("beforeprint", toPrint);
    window.addEventListener("afterprint", function () {
        if (!(printMedia && printMedia.matches)) { toScreen(); }  // an emulated print medium stays until it ends
    });
    if (printMedia) {
        printMedia.addEventListener("change", function (event) { if (event.matches) { toPrint(); } else { toScreen(); } });
    }
    window.metropolisPrintLayout = {toPrint: toPrint, toScreen: toScreen, PRINT_WIDTH: PRINT_WIDTH};
})();

/* Live: ask the server for the store's data version; a new version redraws the page (dashboard.shell). */
window.dash_clientside = Object.assign({}, window.dash_clientside);
window.dash_clientside.metropolis = Object.assign({}, window.dash_clientside.metropolis, {
    pollVersion: function (n, current) {
        if (document.hidden) { return window.dash_clientside.no_update; }
        /* A Board meeting's view (?as_of=) never changes: nothing to follow. */
        if (new URLSearchParams(window.location.search).has("as_of")) { return window.dash_clientside.no_update; }
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
    /* A member heatmap as a printed table (dashboard.pages.engagement.print_table sends it as data: caption, key,
       corner, columns, rows of [member, [[text, fill, text colour], ...]]), drawn into its box, which React leaves
       empty. Plain DOM: up to 141 rows of 11 cells, which as Dash components would cost more than the rest of the page.
       Texts are set as text, never parsed as HTML. Answers the number of rows drawn (the box's data-rows). */
    printTable: function (spec, boxId) {
        function make(tag, text, className) {
            var node = document.createElement(tag);
            if (text !== undefined && text !== null) { node.textContent = String(text); }
            if (className) { node.className = className; }
            return node;
        }
        function draw(box) {
            box.textContent = "";
            if (!spec || !spec.rows) { return 0; }
            var table = make("table", null, "table table-sm heatmap-table");
            var caption = make("caption");
            caption.appendChild(make("span", spec.caption, "fw-semibold"));
            caption.appendChild(document.createTextNode(" \u00b7 " + spec.key));
            table.appendChild(caption);
            var head = make("thead"), headRow = make("tr");
            [spec.corner].concat(spec.columns).forEach(function (label) {
                var th = make("th", label);
                th.setAttribute("scope", "col");
                headRow.appendChild(th);
            });
            head.appendChild(headRow);
            table.appendChild(head);
            var body = make("tbody");
            spec.rows.forEach(function (row) {
                var tr = make("tr"), name = make("th", row[0]);
                name.setAttribute("scope", "row");
                tr.appendChild(name);
                row[1].forEach(function (cell) {
                    var td = make("td", cell[0]);
                    td.style.backgroundColor = cell[1];
                    td.style.color = cell[2];
                    tr.appendChild(td);
                });
                body.appendChild(tr);
            });
            table.appendChild(body);
            box.appendChild(table);
            return spec.rows.length;
        }
        /* The box is in the layout this callback came with: wait for React to have put it on the page. */
        return new Promise(function (resolve) {
            var tries = 0;
            (function attempt() {
                var box = document.getElementById(boxId);
                if (box) { resolve(draw(box)); return; }
                if (++tries > 100) { resolve(window.dash_clientside.no_update); return; }
                window.setTimeout(attempt, 20);
            })();
        });
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
        separateValues(button);
        nameByLabel(button);
    }
    /* The button's name in the order it is drawn: the label, the chosen values, then the count ("Region Africa,
       Europe 2 selected"; Dash references the count before the values), so that what is seen is what is said
       (WCAG 2.5.3, axe label-content-name-mismatch). */
    function nameByLabel(button) {
        var label = button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
        var names = (button.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
        if (label && !label.id) { label.id = button.id + "-label"; }
        var rank = function (id) {
            return label && id === label.id ? 0 : /-value$/.test(id) ? 1 : /-value-count$/.test(id) ? 2 : 3;
        };
        var ordered = (label && names.indexOf(label.id) < 0 ? [label.id] : []).concat(names)
            .map(function (id, i) { return [rank(id), i, id]; })
            .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
            .map(function (entry) { return entry[2]; }).join(" ");
        if (ordered && ordered !== names.join(" ")) { button.setAttribute("aria-labelledby", ordered); }
    }
    /* Several chosen values are drawn "Africa, Europe" with a CSS comma, and the count right after them, so their
       text runs together ("AfricaEurope2 selected") for assistive technology and for speech input. Write the
       separators as text: ", " before each value after the first (its CSS comma is then not drawn: app.css) and a
       space after the last (a text node of the value itself: white space alone in an element of its own has no
       size, and is not read as seen; at the end of the line it is not drawn). */
    function separateValues(button) {
        var values = button.querySelector(".dash-dropdown-value:not(.dash-dropdown-placeholder)");
        if (!values) { return; }
        var items = values.querySelectorAll(":scope > .dash-dropdown-value-item");
        Array.prototype.forEach.call(items, function (item, i) {
            var separator = item.querySelector(":scope > .value-separator");
            if (i === 0 && separator) { separator.remove(); }
            if (i > 0 && !separator) {
                separator = document.createElement("span");
                separator.className = "value-separator";
                separator.textContent = ", ";
                item.insertBefore(separator, item.firstChild);
            }
            var end = Array.prototype.filter.call(item.childNodes, function (n) { return n.metropolisEnd; })[0];
            var last = i === items.length - 1 && items.length > 1;
            if (end && (!last || end !== item.lastChild)) { end.remove(); end = null; }
            if (last && !end) {
                end = document.createTextNode(" ");
                end.metropolisEnd = true;
                item.appendChild(end);
            }
        });
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
    /* Enter inside an open dropdown chooses an option (Dash acts on the key's release); inside a form it would
       also submit the form, as Enter in a text field does: a Record form was saved each time a value was chosen
       by keyboard. The key's default is prevented there, Dash's own handling is left alone. */
    function enterChoosesOnly(event) {
        if (event.key !== "Enter" || !event.target.closest) { return; }
        var inDropdown = event.target.closest(".dash-dropdown-content, .dash-dropdown-wrapper");
        if (inDropdown && inDropdown.closest("form")) { event.preventDefault(); }
    }
    document.addEventListener("keydown", enterChoosesOnly, true);
    document.addEventListener("keydown", spaceOpens, true);
    document.addEventListener("keyup", spaceOpens, true);

    function mendAll(root) {
        (root.querySelectorAll ? root : document).querySelectorAll(".dash-dropdown-wrapper").forEach(mendDropdown);
    }
    new MutationObserver(function (records) {
        records.forEach(function (record) {
            if (record.type === "attributes") {  // Dash wrote its own aria-labelledby again (a value was chosen)
                var owner = record.target.closest(".dash-dropdown-wrapper");
                if (owner) { mendDropdown(owner); }
                return;
            }
            var changed = record.target.nodeType === 1 && record.target.closest(".dash-dropdown-wrapper");
            if (changed) { mendDropdown(changed); }  // a value removed: the separators move
            record.addedNodes.forEach(function (node) {
                if (node.nodeType !== 1) { return; }
                var wrapper = node.closest(".dash-dropdown-wrapper");
                if (wrapper) { mendDropdown(wrapper); }
                mendAll(node);
            });
        });
    }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                           attributeFilter: ["aria-labelledby"]});
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
    /* A link of the summary ("Kind: Required.") puts focus on its field, as a label would (a dropdown: its
       button), without changing the address. */
    document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
        if (!link) { return; }
        var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
        if (!field) { return; }
        event.preventDefault();
        var done = false;
        var go = function () {
            if (done) { return; }
            done = true;
            document.removeEventListener("keyup", go, true);
            field.scrollIntoView({block: "center"});
            field.focus({preventScroll: true});
        };
        if (event.detail === 0) {  // from the keyboard: after the key is up, or Enter would open a dropdown field
            document.addEventListener("keyup", go, true);
            setTimeout(go, 600);
        } else {
            go();
        }
    });
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

/* Tables (AG Grid, dashboard.components.grid_options): a column sorted from its header (Enter, or a click) is
   announced in the page's status region ("Country: sorted ascending"). AG Grid sets aria-sort on the header, which
   a screen reader reads when it reaches the header, not when it changes under the reader's focus. */
(function () {
    var clicked = null;
    document.addEventListener("pointerdown", function (event) {
        clicked = event.target.closest && event.target.closest(".ag-header-cell");
    }, true);
    new MutationObserver(function (records) {
        records.forEach(function (record) {
            var header = record.target;
            if (!header.matches(".data-grid .ag-header-cell[aria-sort]") || record.oldValue === header.getAttribute("aria-sort")) {
                return;
            }
            if (!header.contains(document.activeElement) && header !== clicked) { return; }  // the grid's own doing
            var region = document.getElementById("shell-announce");
            var words = region && region.getAttribute("data-sorted-" + header.getAttribute("aria-sort"));
            var name = header.querySelector(".ag-header-cell-text");
            if (!words || !name) { return; }
            region.textContent = "";
            setTimeout(function () { region.textContent = words.replace("%(column)s", name.textContent.trim()); }, 50);
        });
    }).observe(document.documentElement, {subtree: true, attributes: true, attributeOldValue: true,
                                           attributeFilter: ["aria-sort"]});
})();

/* Tab into a table (forwards or back) lands on its first column header, where its sorting and filtering are, as the
   ARIA grid pattern has it; from there the arrow keys go into the rows and Tab leaves the table
   (components.grid_options). AG Grid's own choice from below is the last cell of the last row drawn. */
(function () {
    function headerFirst(grid) {
        if (!grid.id || grid.metropolisEntry || !window.dash_ag_grid || !window.dash_ag_grid.getApiAsync) { return; }
        grid.metropolisEntry = true;
        window.dash_ag_grid.getApiAsync(grid.id).then(function (api) {
            api.setGridOption("focusGridInnerElement", function () {
                var first = api.getAllDisplayedColumns()[0];
                if (!first) { return false; }
                api.ensureIndexVisible(0, "top");
                api.setFocusedHeader(first);
                return true;
            });
        }).catch(function () { grid.metropolisEntry = false; });
    }
    new MutationObserver(function (records) {
        records.forEach(function (record) {
            Array.prototype.forEach.call(record.addedNodes, function (node) {
                if (node.nodeType !== 1) { return; }
                if (node.matches(".data-grid")) { headerFirst(node); }
                Array.prototype.forEach.call(node.querySelectorAll(".data-grid"), headerFirst);
            });
        });
    }).observe(document.documentElement, {childList: true, subtree: true});
})();

/* dash-ag-grid cells of document text (event and deliverable titles, citations): shown as printed, marked
   lang="en" (dashboard.components.QUOTED_CELL). */
(function () {
    var renderers = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});
    renderers.QuotedText = function (props) {
        if (props.value === null || props.value === undefined || props.value === "") { return ""; }
        return window.React.createElement("span", {lang: "en"}, String(props.value));
    };
    /* A cell that shows another field of its row (dashboard.components.shown_cell): the column keeps a value that
       sorts (an ISO moment) and shows its text in the page's language. */
    renderers.ShownText = function (props) {
        var field = props.shown || (props.colDef && props.colDef.cellRendererParams && props.colDef.cellRendererParams.shown);
        var shown = props.data && field ? props.data[field] : props.value;
        return shown === null || shown === undefined ? "" : String(shown);
    };
    /* A cell of text in the page's language that quotes document text (an audit summary naming an event's title):
       the row's `pieces` field holds [text, quoted] pairs (dashboard.components.pieces_cell); the quoted ones are
       marked lang="en". The column keeps the plain text, which the grid sorts and filters. */
    renderers.PiecesText = function (props) {
        var field = props.pieces || (props.colDef && props.colDef.cellRendererParams && props.colDef.cellRendererParams.pieces);
        var pieces = props.data && field ? props.data[field] : null;
        if (!Array.isArray(pieces)) { return props.value === null || props.value === undefined ? "" : String(props.value); }
        return window.React.createElement.apply(null, ["span", null].concat(pieces.map(function (piece) {
            return piece[1] ? window.React.createElement("span", {lang: "en"}, String(piece[0])) : String(piece[0]);
        })));
    };
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
