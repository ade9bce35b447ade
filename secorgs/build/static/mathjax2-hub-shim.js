/* The Jupyter widgets HTML manager typesets labels with the MathJax 2 API
   (MathJax.Hub.Queue(["Typeset", MathJax.Hub, element])); the book ships MathJax 3, which has no
   Hub. This maps the call onto MathJax 3's typesetPromise so widget pages raise no errors. */
(function () {
  function queue() {
    for (var i = 0; i < arguments.length; i++) {
      var job = arguments[i];
      if (Array.isArray(job) && job[0] === "Typeset") {
        if (window.MathJax && window.MathJax.typesetPromise) {
          window.MathJax.typesetPromise(job[2] ? [job[2]] : undefined).catch(function () {});
        }
      } else if (typeof job === "function") {
        job();
      }
    }
  }
  function install() {
    if (window.MathJax && !window.MathJax.Hub) {
      window.MathJax.Hub = { Queue: queue };
    }
  }
  install();
  document.addEventListener("DOMContentLoaded", install, true);
  window.addEventListener("load", install, true);
})();
