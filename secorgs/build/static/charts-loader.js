/* Draws the book's charts without holding up the text. Each chart's inline script (written by
   secorgs.charts.book_renderer) only queues {id, spec, opt} on window.secorgsCharts; this script runs
   after the page is parsed (defer, after vega-bundle.js) and draws
   - a chart as soon as it comes within half a screen of the viewport (IntersectionObserver),
   - every other chart, one at a time, when the browser is idle after the page has loaded,
   - all charts before the page is printed.
   A chart that fails shows why in its place and logs the error. */
(function () {
  var queued = window.secorgsCharts || [];
  var root = document.documentElement.dataset.content_root || "";
  var items = [];
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) draw(entry.target.secorgsChart);
    });
  }, { rootMargin: "50% 0px" }) : null;

  function draw(item) {
    if (!item || item.drawn) return;
    item.drawn = true;
    var el = document.getElementById(item.id);
    if (!el) return;
    if (observer) observer.unobserve(el);
    if (!window.vegaEmbed) {
      el.textContent = "Chart library missing: _static/vega-bundle.js was not loaded.";
      console.error(el.textContent);
      return;
    }
    var opt = item.opt || {};
    opt.loader = { baseURL: root + "_static/" };
    window.vegaEmbed(el, item.spec, opt).catch(function (e) {
      el.textContent = "Chart failed: " + e;
      console.error(e);
    });
  }

  function add(item) {
    items.push(item);
    var el = document.getElementById(item.id);
    if (!el) return;
    el.secorgsChart = item;
    if (observer) observer.observe(el);
    else draw(item);
  }

  var idle = window.requestIdleCallback || function (callback) {
    return setTimeout(function () { callback({ timeRemaining: function () { return 50; } }); }, 200);
  };
  function drawRestWhenIdle() {
    idle(function () {
      for (var i = 0; i < items.length; i++) {
        if (!items[i].drawn) {
          draw(items[i]);
          drawRestWhenIdle();
          return;
        }
      }
    }, { timeout: 4000 });
  }

  queued.forEach(add);
  window.secorgsCharts = { push: add };
  window.secorgsDrawAllCharts = function () { items.forEach(draw); };
  window.addEventListener("beforeprint", window.secorgsDrawAllCharts);
  if (document.readyState === "complete") drawRestWhenIdle();
  else window.addEventListener("load", drawRestWhenIdle);
})();
