// lede: the search page. Asks the Pagefind index (pagefind/) as the reader
// types, and lists the explainers that match. The header's search box is a
// plain form that opens this page with ?q=.
(function () {
  "use strict";
  var form = document.querySelector("form.search-form[data-bundle]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var bundle = new URL(form.getAttribute("data-bundle"), document.baseURI).href;
  var root = new URL(form.getAttribute("data-root"), document.baseURI);
  var pagefind = null;
  var latest = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (pf) {
        return Promise.resolve(pf.init && pf.init()).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  // Pagefind's URLs start at the site root; make them relative to this page.
  function link(url) { return new URL(url.replace(/^\//, ""), root).href; }

  function show(results, query) {
    list.textContent = "";
    results.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "search-result";
      var h = document.createElement("h2");
      var a = document.createElement("a");
      a.href = link(r.url);
      a.textContent = (r.meta && r.meta.title) || r.url;
      h.appendChild(a);
      var p = document.createElement("p");
      p.className = "search-excerpt";
      p.innerHTML = r.excerpt; // Pagefind escapes the text and adds only <mark>.
      li.appendChild(h);
      li.appendChild(p);
      list.appendChild(li);
    });
    status.textContent = results.length === 0 ? "No explainer matches “" + query + "”."
      : results.length + (results.length === 1 ? " explainer matches" : " explainers match") + " “" + query + "”.";
  }

  function run(query) {
    var id = ++latest;
    if (!query.trim()) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "Searching…";
    load().then(function (pf) { return pf.search(query); }).then(function (search) {
      if (id !== latest || !search) return null;
      return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (results) {
      if (id === latest && results) show(results, query);
    }).catch(function () {
      if (id === latest) status.textContent = "Search is not available here: it needs the site to be served over HTTP.";
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 150);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (history.replaceState) history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(q); }
})();
