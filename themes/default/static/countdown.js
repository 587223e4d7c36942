// Keeps the stage statuses on the home and timeline pages true to today.
//
// The build writes every status as of its own "now" (so the page is right
// without JavaScript on the day it was built) and puts on each exact stage
// the instants it opens and closes in the site's time zone and its first
// and last day. This script recomputes, from the browser's clock, what
// src/schedule.rs computed: upcoming / current with days left (today
// counts as one) / done, which stage is current and which is next, and
// writes the words the page carries in its data-t-* attributes. A browser
// clock behind the build's "now" is wrong, not the page: it is not believed.
//
// The core (statusAt, localDay) needs no DOM and is on globalThis for
// tests. No eval, no inline code: strict CSP holds.
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

  // A stage's status at `ms`, as src/schedule.rs and src/time.rs decide it.
  function statusAt(stage, ms, tz) {
    var today = dayNumber(localDay(ms, tz));
    if (ms < Date.parse(stage.opens)) {
      return { status: "upcoming", days: Math.max(1, dayNumber(stage.firstDay) - today) };
    }
    if (ms < Date.parse(stage.closes)) {
      return { status: "current", days: dayNumber(stage.lastDay) - today + 1 };
    }
    return { status: "done", days: 0 };
  }

  root.PodiumCountdown = { localDay: localDay, statusAt: statusAt };
  if (typeof document === "undefined") return;

  function fill(template, n) {
    return (template || "").replace("{n}", String(n));
  }

  function plural(ds, key, n) {
    return fill(n === 1 ? ds[key + "One"] : ds[key + "Other"], n);
  }

  function stageOf(el) {
    return { opens: el.dataset.opens, closes: el.dataset.closes, firstDay: el.dataset.firstDay, lastDay: el.dataset.lastDay };
  }

  function statusText(ds, s) {
    if (s.status === "upcoming") return ds.tUpcoming;
    if (s.status === "current") return plural(ds, "tLeft", s.days);
    return ds.tDone;
  }

  function formatDay(ds, iso) {
    var p = iso.split("-");
    var months = (ds.tMonths || "").split("|");
    return (ds.tDate || "{year}-{month}-{day}")
      .replace("{year}", String(+p[0]))
      .replace("{month_name}", months[+p[1] - 1] || "")
      .replace("{month}", String(+p[1]))
      .replace("{day}", String(+p[2]));
  }

  function update(box) {
    var ds = box.dataset;
    var built = Date.parse(ds.now);
    var now = Math.max(Date.now(), isNaN(built) ? 0 : built);
    var tz = ds.tz;
    var current = -1;
    var next = -1;
    var byRole = { current: [], next: [], stage: [] };
    box.querySelectorAll("[data-stage]").forEach(function (el) {
      (byRole[el.dataset.role] || []).push(el);
    });
    // The stages in order; on the home page each appears twice (as the
    // current stage and as the next one).
    var first = byRole.stage.length ? byRole.stage : byRole.current;
    var statuses = first.map(function (el, i) {
      var s = statusAt(stageOf(el), now, tz);
      if (s.status === "current") current = i;
      if (s.status === "upcoming" && next === -1) next = i;
      return s;
    });
    byRole.stage.forEach(function (el, i) {
      var s = statuses[i];
      el.classList.remove("stage-upcoming", "stage-current", "stage-done");
      el.classList.add("stage-" + s.status);
      if (i === current) el.setAttribute("aria-current", "step");
      else el.removeAttribute("aria-current");
      var badge = el.querySelector("[data-status]");
      if (badge) {
        badge.className = "badge badge-" + s.status;
        badge.textContent = statusText(ds, s);
        badge.setAttribute("datetime", s.status === "upcoming" ? el.dataset.opens : lastSecond(el.dataset.closes));
      }
    });
    byRole.current.forEach(function (el, i) {
      el.hidden = i !== current;
      var badge = el.querySelector("[data-status]");
      if (badge && i === current) {
        badge.className = "badge badge-current";
        badge.textContent = statusText(ds, statuses[i]);
        badge.setAttribute("datetime", lastSecond(el.dataset.closes));
      }
    });
    byRole.next.forEach(function (el, i) {
      el.hidden = i !== next;
      var badge = el.querySelector("[data-starts]");
      if (badge && i === next) badge.textContent = plural(ds, "tStarts", statuses[i].days);
    });
    var show = function (role, on) {
      var el = box.querySelector('[data-role="' + role + '"]');
      if (el) el.hidden = !on;
    };
    show("between", current === -1 && next !== -1);
    show("approx", current === -1 && next === -1);
    show("over", current === -1 && next === -1);
    document.querySelectorAll("time[data-today]").forEach(function (el) {
      var day = localDay(now, tz);
      el.setAttribute("datetime", day);
      el.textContent = formatDay(ds, day);
    });
  }

  // "2025-08-29T00:00:00+08:00" → "2025-08-28T23:59:59+08:00".
  function lastSecond(closes) {
    var m = /^(.*T)(\d\d):(\d\d):(\d\d)(.*)$/.exec(closes || "");
    if (!m || m[2] + m[3] + m[4] !== "000000") return closes;
    var d = new Date(Date.UTC(+closes.slice(0, 4), +closes.slice(5, 7) - 1, +closes.slice(8, 10)) - 86400000);
    return d.toISOString().slice(0, 10) + "T23:59:59" + m[5];
  }

  function start() {
    var boxes = document.querySelectorAll("[data-countdown]");
    if (!boxes.length) return;
    var run = function () {
      boxes.forEach(update);
    };
    run();
    // A page left open across midnight (or a boundary) stays right.
    window.setInterval(run, 60000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof globalThis !== "undefined" ? globalThis : this);
