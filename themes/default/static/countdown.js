// Keeps a page's day counts true to today, and says when the page itself
// may be out of date — never more.
//
// The build writes every status as of its own "now", so the page is right
// without JavaScript on the day it was built, and until the schedule's
// next change. Between the build and the page's next change of *state*
// (a stage beginning or ending, a window opening or closing: the clock's
// data-valid-until), the only thing that moves is a day count ("4 days
// left", "starts tomorrow"), which changes at every local midnight. Each
// count carries the day it counts to and its two forms, so this script
// recomputes every one of them by the rule src/render/views.rs uses — and
// nothing else. Once the clock reaches the page's next change of state,
// the page no longer knows what is true: the script then changes nothing
// and shows the note the build wrote ("this page shows the status as of
// …"), rather than invent a state.
//
// A browser clock behind the build's "now" is wrong, not the page: it is
// not believed. Under `podium serve --now`, the preview's script names the
// pinned instant (data-podium-now), and that is the clock.
//
// The core (countAt, localDay) needs no DOM and is on globalThis for
// tests. No eval, no inline code: a strict CSP holds.
(function (root) {
  "use strict";

  // The calendar day ("2025-08-25") it is at `ms` in the time zone `tz`.
  function localDay(ms, tz) {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date(ms))
      .forEach(function (p) {
        parts[p.type] = p.value;
      });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  function dayNumber(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000;
  }

  // A day count at `ms`: "left" counts the days up to `day` with today as
  // one; "until" the whole days until `day`, at least one.
  function countAt(kind, day, ms, tz) {
    var d = dayNumber(day) - dayNumber(localDay(ms, tz));
    return kind === "left" ? d + 1 : Math.max(1, d);
  }

  root.PodiumCountdown = { localDay: localDay, countAt: countAt };
  if (typeof document === "undefined") return;

  function formatDay(ds, iso) {
    var p = iso.split("-");
    var months = (ds.tMonths || "").split("|");
    return (ds.tDate || "{year}-{month}-{day}")
      .replace("{year}", String(+p[0]))
      .replace("{month_name}", months[+p[1] - 1] || "")
      .replace("{month}", String(+p[1]))
      .replace("{day}", String(+p[2]));
  }

  // The instant to read the page at: the pinned one under `serve --now`,
  // else the browser's, and never before the build's.
  function clockNow(ds) {
    var pinned = document.querySelector("script[data-podium-now]");
    var at = pinned ? Date.parse(pinned.getAttribute("data-podium-now")) : NaN;
    var now = isNaN(at) ? Date.now() : at;
    var built = Date.parse(ds.now);
    return isNaN(built) ? now : Math.max(now, built);
  }

  function update(clock) {
    var ds = clock.dataset;
    var now = clockNow(ds);
    var until = Date.parse(ds.validUntil);
    if (!isNaN(until) && now >= until) {
      clock.querySelectorAll("[data-stale]").forEach(function (el) {
        el.hidden = false;
      });
      return;
    }
    var tz = ds.tz;
    clock.querySelectorAll("[data-days]").forEach(function (el) {
      var n = countAt(el.dataset.days, el.dataset.day, now, tz);
      var form = n === 1 ? el.dataset.one : el.dataset.other;
      el.textContent = (form || "").replace("{n}", String(n));
    });
    clock.querySelectorAll("time[data-today]").forEach(function (el) {
      var day = localDay(now, tz);
      el.setAttribute("datetime", day);
      el.textContent = formatDay(ds, day);
    });
  }

  function start() {
    var clocks = document.querySelectorAll("[data-clock]");
    if (!clocks.length) return;
    var run = function () {
      clocks.forEach(update);
    };
    run();
    // A page left open across midnight (or its next change) stays right.
    window.setInterval(run, 60000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof globalThis !== "undefined" ? globalThis : this);
