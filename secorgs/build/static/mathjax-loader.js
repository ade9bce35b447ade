/* Loads MathJax (0.3 MB gzip, and its fonts) only when a formula comes within a screen of the
   viewport, or before the page is printed: the text paints first and a reader who never reaches the
   maths never downloads it. MathJax typesets the whole page when it starts. The URL comes from this
   script's data-mathjax attribute (written per page by secorgs.build.sphinx_assets). */
(function () {
  var me = document.currentScript;
  var started = false;
  function load() {
    if (started) return;
    started = true;
    var script = document.createElement("script");
    script.src = me.dataset.mathjax;
    document.head.appendChild(script);
  }
  window.secorgsLoadMathJax = load;
  var formulas = document.querySelectorAll(".math");
  if (!formulas.length) return;
  window.addEventListener("beforeprint", load);
  if (!("IntersectionObserver" in window)) { load(); return; }
  var observer = new IntersectionObserver(function (entries) {
    if (entries.some(function (entry) { return entry.isIntersecting; })) {
      observer.disconnect();
      load();
    }
  }, { rootMargin: "100% 0px" });
  Array.prototype.forEach.call(formulas, function (formula) { observer.observe(formula); });
})();
