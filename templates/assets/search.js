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
  // lede serve only: the overlay of the pages saved since the site's index
  // was made (a second Pagefind index, and the pages whose results in the
  // first are out of date). A static site has none.
  var overlayFile = window.__ledeSearchOverlay;
  var overlay = null;

  function open(url) {
    return import(url).then(function (pf) {
      return Promise.resolve(pf.init && pf.init()).then(function () { return pf; });
    });
  }

  function load() {
    if (!pagefind) pagefind = open(bundle + "pagefind.js");
    return pagefind;
  }

  // {pagefind, superseded}, or null when there is no overlay.
  function loadOverlay() {
    if (!overlay) {
      overlay = fetch(overlayFile, { cache: "no-store" }).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (o) {
        if (!o) return null;
        var superseded = {};
        (o.superseded || []).forEach(function (url) { superseded[url] = true; });
        var index = o.bundle ? open(new URL(o.bundle, location.href).href + "pagefind.js") : Promise.resolve(null);
        return index.then(function (pf) { return { pagefind: pf, superseded: superseded }; });
      }).catch(function () { return null; });
    }
    return overlay;
  }

  // The data of the first `n` results not in `skip` (by URL), each with its
  // score, loading no more of them than that needs.
  function take(results, n, skip) {
    var kept = [], i = 0;
    function more() {
      if (kept.length >= n || i >= results.length) return Promise.resolve(kept);
      var batch = results.slice(i, i + n - kept.length);
      i += batch.length;
      return Promise.all(batch.map(function (r) {
        return r.data().then(function (d) { return { score: r.score, data: d }; });
      })).then(function (list) {
        list.forEach(function (x) { if (!skip || !skip[x.data.url]) kept.push(x); });
        return more();
      });
    }
    return more();
  }

  // Whether a result matched only because its index has no word that
  // begins with a query word: Pagefind then takes the longest word that
  // the query word begins with ("a" for "aardvark"). One index over the
  // whole site would not, had the other index the word: such results go
  // when the other index matched for real. Told by the words Pagefind
  // marks in the excerpt.
  function fallback(x, terms) {
    var marked = (x.data.excerpt || "").match(/<mark>[^<]*<\/mark>/g);
    if (!marked) return false;
    return marked.every(function (m) {
      var w = m.slice(6, -7).toLowerCase();
      return terms.some(function (t) { return w.length < t.length && t.indexOf(w) === 0; });
    });
  }

  // Both indexes asked; the site's results for pages saved since dropped;
  // the rest merged by score.
  function searchBoth(query) {
    return Promise.all([load().catch(function () { return null; }), loadOverlay()]).then(function (both) {
      var base = both[0], o = both[1];
      if (!base && !(o && o.pagefind)) throw new Error("no search index");
      return Promise.all([base && base.search(query), o && o.pagefind && o.pagefind.search(query)]).then(function (found) {
        if ((base && !found[0]) || (o && o.pagefind && !found[1])) return null;
        return Promise.all([
          found[0] ? take(found[0].results, 20, o && o.superseded) : [],
          found[1] ? take(found[1].results, 20, null) : [],
        ]);
      });
    }).then(function (lists) {
      if (!lists) return null;
      var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
      var all = lists[0].concat(lists[1]);
      var weak = all.filter(function (x) { return fallback(x, terms); });
      if (weak.length < all.length) all = all.filter(function (x) { return weak.indexOf(x) < 0; });
      return all.sort(function (a, b) { return b.score - a.score; })
        .slice(0, 20).map(function (x) { return x.data; });
    });
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
    var asked = overlayFile ? searchBoth(query) : load().then(function (pf) { return pf.search(query); }).then(function (search) {
      if (id !== latest || !search) return null;
      return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    });
    asked.then(function (results) {
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
