/* Accessibility fixes for markup the book does not write itself (theme, widgets, vega-embed):
   - an aria-label that contradicts a control's visible text is dropped, so the visible text names it
     (WCAG 2.5.3, "label in name": the theme's search button, toggles of hidden code);
   - the widget slider handles and vega-embed's actions menu get an accessible name;
   - the colour-mode button's name includes the modes its icons show; scrollable widget output is focusable;
   - the bibliography's citation list loses a list role whose children are not list items. */
(function () {
  function fix(root) {
    root.querySelectorAll("button[aria-label], summary[aria-label], a[aria-label]").forEach(function (el) {
      var text = (el.innerText || "").trim().toLowerCase();
      var label = el.getAttribute("aria-label").toLowerCase();
      if (text && label.indexOf(text) === -1) el.removeAttribute("aria-label");
    });
    root.querySelectorAll(".noUi-handle[role=slider]:not([aria-label])").forEach(function (el) {
      var widget = el.closest(".widget-slider, .jupyter-widgets");
      var label = widget && widget.querySelector(".widget-label");
      el.setAttribute("aria-label", label && label.textContent.trim() ? label.textContent.trim() : "Slider");
    });
    root.querySelectorAll(".theme-switch-button").forEach(function (el) {
      var modes = Array.prototype.map.call(el.querySelectorAll("[title]"), function (i) { return i.getAttribute("title"); });
      var name = "Color mode: " + modes.join(", ");
      if (modes.length && el.getAttribute("aria-label") !== name) el.setAttribute("aria-label", name);
    });
    root.querySelectorAll(".jp-RenderedText > pre:not([tabindex])").forEach(function (el) {
      el.setAttribute("tabindex", "0");  /* scrollable output must be reachable by keyboard */
    });
    root.querySelectorAll(".citation-list[role=list]").forEach(function (el) { el.removeAttribute("role"); });
    root.querySelectorAll(".vega-embed details > summary:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Chart actions: save as SVG or PNG");
    });
  }
  function start() {
    fix(document);
    /* The theme sets its button's label after load too, so label changes are watched as well; fix()
       changes an attribute only when it differs, so its own changes do not retrigger it for ever.
       Changes come in bursts (a chart adds hundreds of nodes): one pass per animation frame at most. */
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; fix(document); });
    }).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["aria-label"] });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
