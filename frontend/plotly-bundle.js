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

module.exports = Plotly;
