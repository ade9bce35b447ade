/* Draws the book's charts without holding up the text. Each chart's inline script (written by
   secorgs.charts.book_renderer) only queues {id, spec, opt} on window.secorgsCharts; this script runs
   after the page is parsed (defer), fetches the chart library (vega-bundle.js, named by its
   data-bundle attribute) when the first chart is to be drawn, and draws
   - a chart as soon as it comes within a screen of the viewport (IntersectionObserver),
   - once the reader has begun to scroll, every other chart, one at a time, when the browser is idle
     (a reader who only reads the opening screen never pays for the library or the drawing),
   - all charts before the page is printed (and when window.secorgsDrawAllCharts() is called).
   A chart that fails shows why in its place and logs the error. */
(function () {
  var bundle = document.currentScript && document.currentScript.dataset.bundle;
  var library = null;  /* a promise, once the library is asked for */
  function withLibrary() {
    if (!library) {
      library = new Promise(function (resolve) {
        if (window.vegaEmbed || !bundle) return resolve();
        var script = document.createElement("script");
        script.onload = script.onerror = function () { resolve(); };
        script.src = bundle;
        document.head.appendChild(script);
      });
    }
    return library;
  }

  var root = document.documentElement.dataset.content_root || "";
  var items = [];
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) draw(entry.target.secorgsChart);
    });
  }, { rootMargin: "100% 0px" }) : null;

  function draw(item) {
    if (!item) return Promise.resolve();
    if (!item.drawing) {
      var el = document.getElementById(item.id);
      if (observer && el) observer.unobserve(el);
      item.drawing = (el ? withLibrary().then(function () { return embed(item, el); }) : Promise.resolve())
        .then(function () { item.done = true; });
    }
    return item.drawing;
  }

  function embed(item, el) {
    if (!window.vegaEmbed) {
      el.textContent = "Chart library missing: _static/vega-bundle.js was not loaded.";
      console.error(el.textContent);
      return;
    }
    var opt = item.opt || {};
    opt.loader = { baseURL: root + "_static/" };
    return window.vegaEmbed(el, item.spec, opt).catch(function (e) {
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

  var idle = window.requestIdleCallback || function (callback) { return setTimeout(callback, 200); };
  function drawNextWhenIdle() {
    idle(function () {
      var next = items.filter(function (item) { return !item.drawing; })[0];
      if (next) draw(next).then(drawNextWhenIdle);
    }, { timeout: 4000 });
  }

  (window.secorgsCharts || []).forEach(add);
  window.secorgsCharts = { push: add };
  window.secorgsDrawAllCharts = function () { return Promise.all(items.map(draw)); };
  /* True once every chart is drawn: its data loaded and its view run (or its failure shown). */
  window.secorgsChartsDrawn = function () { return items.every(function (item) { return item.done; }); };
  window.addEventListener("beforeprint", window.secorgsDrawAllCharts);
  window.addEventListener("scroll", drawNextWhenIdle, { once: true, passive: true });
})();
