// lede: turns the topic links of a timeline page into an in-page filter.
// Without JavaScript the links lead to each topic's own timeline page.
(function () {
  "use strict";
  var nav = document.querySelector(".timeline-filter");
  if (!nav) return;
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-tag]"));
  var events = Array.prototype.slice.call(document.querySelectorAll(".timeline-groups .timeline-event"));
  var sections = Array.prototype.slice.call(document.querySelectorAll(".timeline-year, .timeline-decade"));
  var index = Array.prototype.slice.call(document.querySelectorAll(".timeline-index a[href^='#']"));
  var status = document.createElement("p");
  status.className = "timeline-filter-status";
  status.setAttribute("role", "status");
  var clear = document.createElement("button");
  clear.type = "button";
  clear.className = "timeline-filter-clear";
  clear.textContent = "Show all topics";
  clear.hidden = true;
  nav.appendChild(status);
  nav.appendChild(clear);
  var current = null;

  function apply(tag) {
    current = tag;
    var shown = 0;
    events.forEach(function (li) {
      var on = !tag || (" " + (li.getAttribute("data-tags") || "") + " ").indexOf(" " + tag + " ") >= 0;
      li.hidden = !on;
      if (on) shown++;
    });
    sections.forEach(function (s) { s.hidden = !s.querySelector(".timeline-event:not([hidden])"); });
    index.forEach(function (a) {
      var target = document.getElementById(a.getAttribute("href").slice(1));
      a.parentNode.hidden = !!(target && target.hidden);
    });
    links.forEach(function (a) { a.setAttribute("aria-pressed", a.getAttribute("data-tag") === tag ? "true" : "false"); });
    clear.hidden = !tag;
    status.textContent = tag ? shown + (shown === 1 ? " event" : " events") + " on “" + tag + "”" : "";
    if (history.replaceState) history.replaceState(null, "", tag ? "#topic=" + encodeURIComponent(tag) : location.pathname);
  }

  links.forEach(function (a) {
    a.setAttribute("role", "button");
    a.setAttribute("aria-pressed", "false");
    a.addEventListener("click", function (e) {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      var tag = a.getAttribute("data-tag");
      apply(tag === current ? null : tag);
    });
  });
  clear.addEventListener("click", function () { apply(null); });
  var m = /^#topic=(.+)$/.exec(location.hash);
  if (m) apply(decodeURIComponent(m[1]));
})();
