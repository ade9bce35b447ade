/* Loads the Jupyter widget manager (RequireJS, then @jupyter-widgets/html-manager's embed-amd.js,
   0.9 MB gzip) only when a widget comes within a screen of the viewport, or before the page is
   printed: a reader who never scrolls to the widget never downloads it, and the text paints first.
   The manager renders every widget from the state saved in the page once it has loaded. The URLs
   come from this script's data attributes (written per page by secorgs.build.sphinx_assets). */
(function () {
  var me = document.currentScript;
  var started = false;
  function add(src, attributes, onload) {
    var script = document.createElement("script");
    Object.keys(attributes).forEach(function (name) { script.setAttribute(name, attributes[name]); });
    if (onload) script.addEventListener("load", onload);
    script.src = src;
    document.head.appendChild(script);
  }
  function load() {
    if (started) return;
    started = true;
    add(me.dataset.require, {}, function () {
      add(me.dataset.manager, { "data-jupyter-widgets-cdn": me.dataset.cdn, "data-jupyter-widgets-cdn-only": "true" });
    });
  }
  window.secorgsLoadWidgets = load;
  var views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
  if (!views.length) return;
  window.addEventListener("beforeprint", load);
  if (!("IntersectionObserver" in window)) { load(); return; }
  var observer = new IntersectionObserver(function (entries) {
    if (entries.some(function (entry) { return entry.isIntersecting; })) {
      observer.disconnect();
      load();
    }
  }, { rootMargin: "100% 0px" });
  Array.prototype.forEach.call(views, function (view) { observer.observe(view.parentElement); });
})();
