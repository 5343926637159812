// The plotly.js the dashboard serves: the core (scatter) plus only the trace types its figures draw.
// `make install` bundles it with esbuild into assets/vendor/plotly/plotly.min.js (never committed); dcc.Graph
// uses window.Plotly when it is already defined, so Dash's full 4.8 MB bundle is never loaded.
// tests/unit/test_static.py checks that every trace type a figure builder returns is registered here.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/histogram'),
    require('plotly.js/lib/indicator'),
    require('plotly.js/lib/scattergeo'),
]);

// French and Spanish month names, decimal and thousands separators and mode-bar texts (from the same plotly.js
// package: the locale files plotly.js-locales republishes); each graph's config sets `locale` to the page's language.
Plotly.register([
    require('plotly.js/lib/locales/es'),
    require('plotly.js/lib/locales/fr'),
]);

module.exports = Plotly;
