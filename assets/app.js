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
