// Search over the site's own index (search/index.json, written by the build).
//
// Chinese has no spaces between words, so there is no word index: every
// document's text is normalised once (NFKC and lower case, so full-width
// letters, digits and spaces become half-width) and each query term is
// looked for as a substring. A document matches when it holds every term.
// Ranking: more terms in the title first; then the title the terms cover
// most of (a track's name before its topics' long titles); then terms in
// the track's name; then how often the terms occur in the text; then the
// site's own order (tracks, topics, notices).
//
// The core (normalize, prepare, search, highlight) needs no DOM: Node loads
// this very file in tests/search/run.mjs and finds it on globalThis. The
// page part runs only where there is a document. No eval, no inline code,
// no innerHTML: strict CSP (script-src 'self') holds.
(function (root) {
  "use strict";

  // Text and, per UTF-16 unit of the normalised text, the index in the
  // original string where its character starts (for <mark> in titles).
  function normalizeMapped(s) {
    var out = "";
    var map = [];
    var i = 0;
    while (i < s.length) {
      var cp = s.codePointAt(i);
      var ch = String.fromCodePoint(cp);
      var n = ch.normalize("NFKC").toLowerCase();
      for (var k = 0; k < n.length; k++) map.push(i);
      out += n;
      i += ch.length;
    }
    map.push(s.length);
    return { text: out, map: map };
  }

  function normalize(s) {
    return normalizeMapped(String(s || "")).text;
  }

  // Query → distinct terms. Spaces (any kind, after NFKC) and list
  // punctuation separate terms.
  function terms(q) {
    var seen = {};
    var out = [];
    normalize(q)
      .split(/[\s,，、;；]+/)
      .forEach(function (t) {
        if (t && !seen[t]) {
          seen[t] = true;
          out.push(t);
        }
      });
    return out;
  }

  function count(hay, needle) {
    var n = 0;
    var at = hay.indexOf(needle);
    while (at !== -1 && n < 50) {
      n++;
      at = hay.indexOf(needle, at + needle.length);
    }
    return n;
  }

  // The index as the search wants it: normalised texts, computed once.
  function prepare(index) {
    var tracks = index.tracks.map(function (t) {
      return { id: t.id, name: t.name, norm: normalize(t.name) };
    });
    var docs = index.docs.map(function (d, order) {
      var title = normalizeMapped(d.title);
      var track = d.track === undefined || d.track === null ? null : tracks[d.track];
      return {
        type: d.type,
        title: d.title,
        href: d.href,
        track: track ? track.id : null,
        trackName: track ? track.name : "",
        order: order,
        nTitle: title.text,
        titleMap: title.map,
        nTrack: track && d.type === "topic" ? track.norm : "",
        nText: normalize(d.text),
      };
    });
    return { lang: index.lang, tracks: tracks, docs: docs };
  }

  // Results for the query `q`, narrowed to the track `track` (its id) when
  // given: [{doc, titleHits, score}] best first. No terms, no results.
  function search(prepared, q, track) {
    var ts = terms(q);
    if (!ts.length) return [];
    var out = [];
    prepared.docs.forEach(function (d) {
      if (track && d.track !== track) return;
      var titleHits = 0;
      var covered = 0;
      var trackHits = 0;
      var textHits = 0;
      for (var i = 0; i < ts.length; i++) {
        var t = ts[i];
        var inTitle = d.nTitle.indexOf(t) !== -1;
        var inTrack = d.nTrack.indexOf(t) !== -1;
        var inText = count(d.nText, t);
        if (!inTitle && !inTrack && !inText) return;
        if (inTitle) {
          titleHits++;
          covered += t.length;
        }
        if (inTrack) trackHits++;
        textHits += inText;
      }
      var coverage = d.nTitle.length ? Math.min(1, covered / d.nTitle.length) : 0;
      out.push({ doc: d, titleHits: titleHits, coverage: coverage, trackHits: trackHits, textHits: textHits });
    });
    out.sort(function (a, b) {
      return (
        b.titleHits - a.titleHits ||
        b.coverage - a.coverage ||
        b.trackHits - a.trackHits ||
        b.textHits - a.textHits ||
        a.doc.order - b.doc.order
      );
    });
    return out;
  }

  // The title cut into [text, marked] pieces around the query's terms.
  function highlight(doc, q) {
    var ts = terms(q);
    var ranges = [];
    ts.forEach(function (t) {
      var at = doc.nTitle.indexOf(t);
      while (at !== -1) {
        ranges.push([doc.titleMap[at], doc.titleMap[at + t.length]]);
        at = doc.nTitle.indexOf(t, at + t.length);
      }
    });
    ranges.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1];
    });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    var pieces = [];
    var pos = 0;
    merged.forEach(function (r) {
      if (r[0] > pos) pieces.push([doc.title.slice(pos, r[0]), false]);
      pieces.push([doc.title.slice(r[0], r[1]), true]);
      pos = r[1];
    });
    if (pos < doc.title.length) pieces.push([doc.title.slice(pos), false]);
    return pieces;
  }

  var core = { normalize: normalize, terms: terms, prepare: prepare, search: search, highlight: highlight };
  root.PodiumSearch = core;

  if (typeof document === "undefined") return;

  // ---------------------------------------------------------------- page

  function fill(template, args) {
    return template.replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(args, k) ? args[k] : m;
    });
  }

  function start() {
    var form = document.querySelector("form[data-search]");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var select = form.querySelector("select[name=track]");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var browse = document.getElementById("search-browse");
    var elsewhere = document.querySelector("[data-elsewhere]");
    var ds = form.dataset;
    var prepared = null;

    document.querySelectorAll("[data-nojs]").forEach(function (e) {
      e.hidden = true;
    });

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    var wanted = params.get("track") || "";
    if (Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) select.value = wanted;

    function keepInUrl(q, track) {
      var p = new URLSearchParams();
      if (q) p.set("q", q);
      if (track) p.set("track", track);
      var s = p.toString();
      var url = window.location.pathname + (s ? "?" + s : "") + window.location.hash;
      window.history.replaceState(null, "", url);
    }

    function row(r, q) {
      var d = r.doc;
      var li = document.createElement("li");
      li.className = "result result-" + d.type;
      var kind = document.createElement("span");
      kind.className = "result-type";
      kind.textContent = ds["t" + d.type.charAt(0).toUpperCase() + d.type.slice(1)] || d.type;
      var a = document.createElement("a");
      a.href = ds.home + d.href;
      a.className = "result-title";
      highlight(d, q).forEach(function (p) {
        if (p[1]) {
          var m = document.createElement("mark");
          m.textContent = p[0];
          a.appendChild(m);
        } else {
          a.appendChild(document.createTextNode(p[0]));
        }
      });
      li.appendChild(kind);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      if (d.trackName && d.type !== "track") {
        var tr = document.createElement("span");
        tr.className = "result-in";
        tr.textContent = d.trackName;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(tr);
      }
      return li;
    }

    function update() {
      var q = input.value.trim();
      var track = select.value;
      keepInUrl(q, track);
      // The topic list shows while there is no query, narrowed to the track.
      browse.querySelectorAll("[data-track]").forEach(function (s) {
        s.hidden = !!track && s.getAttribute("data-track") !== track;
      });
      if (elsewhere) {
        elsewhere.querySelectorAll("a").forEach(function (a) {
          a.search = q ? "?q=" + encodeURIComponent(q) : "";
        });
      }
      if (!q || !prepared) {
        browse.hidden = false;
        list.hidden = true;
        list.replaceChildren();
        if (elsewhere) elsewhere.hidden = true;
        if (!q) status.textContent = "";
        return;
      }
      var results = search(prepared, q, track);
      list.replaceChildren.apply(
        list,
        results.map(function (r) {
          return row(r, q);
        })
      );
      list.hidden = results.length === 0;
      browse.hidden = results.length > 0;
      if (elsewhere) elsewhere.hidden = results.length > 0;
      status.textContent = results.length
        ? fill(results.length === 1 ? ds.tResultsOne : ds.tResultsOther, { n: String(results.length) })
        : fill(ds.tNone, { q: q });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      update();
    });
    input.addEventListener("input", update);
    select.addEventListener("change", update);
    update();

    fetch(ds.index, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (index) {
        prepared = prepare(index);
        update();
      })
      .catch(function () {
        status.textContent = ds.tFailed;
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof globalThis !== "undefined" ? globalThis : this);
