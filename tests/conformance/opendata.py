#!/usr/bin/env python3
"""The calendar and the open data files of every site under the given
folders, read by the clients a participant would use:

- every timeline.ics parses in `icalendar`, is CRLF-terminated and folded
  at 75 octets, has a VTIMEZONE for its zone, all-day events with an
  exclusive end and unique UIDs, the same UIDs in every language; for
  Liaoning, its seven stages and two 7-day publicity windows on the dates
  of its notice; for Heilongjiang (no exact dates), its three approximate
  stages on the last days the notice's words allow;
- every data/*.json validates in `jsonschema` against the schema in
  docs/schema/ that its `schema` field names (and that schema is the one
  for its file name); the copies under data/schema/ equal docs/schema/;
- every data/*.csv starts with a BOM, has CRLF line ends, and reads in
  Python's csv module (utf-8-sig) with the documented columns and one row
  per topic / list entry of the matching JSON file.

Prints each finding; exits 1 if there is any."""
import csv, datetime as dt, glob, io, json, os, sys

import icalendar
import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.join(HERE, "..", "..", "docs", "schema")
COLUMNS = {
    "topics.csv": ["track_id", "track_number", "track_name", "group_id", "group_name",
                   "topic_id", "topic_number", "title", "url"],
    "publicity.csv": ["list_slug", "list_title", "list_kind", "start", "end", "track_id",
                      "track_name", "level_id", "level_name", "project", "entrant"],
}
D = dt.date
# Liaoning's stages (辽数发〔2025〕3号 四（二）): (uid, first day, last day).
LIAONING = [
    ("stage-registration", D(2025, 6, 3), D(2025, 7, 18)),
    ("stage-preliminary-review", D(2025, 7, 19), D(2025, 7, 27)),
    ("stage-verification", D(2025, 7, 28), D(2025, 8, 11)),
    ("stage-finalists-publicity", D(2025, 8, 12), D(2025, 8, 18)),
    ("stage-final", D(2025, 8, 21), D(2025, 8, 21)),
    ("stage-winners-publicity", D(2025, 8, 22), D(2025, 8, 28)),
    ("stage-ceremony", D(2025, 8, 29), D(2025, 8, 29)),
]
findings = []


def find(rel, msg):
    findings.append(f"{rel}: {msg}")


def site_of(path, root):
    return os.path.relpath(path, root).split(os.sep)[0]


# ---------------------------------------------------------------- calendar

def check_ics(path, rel):
    raw = open(path, "rb").read()
    if not raw.endswith(b"\r\n"):
        find(rel, "does not end with CRLF")
    for i, line in enumerate(raw.split(b"\r\n"), 1):
        if b"\n" in line or b"\r" in line:
            find(rel, f"line {i}: a line break that is not CRLF")
            break
        if len(line) > 75:
            find(rel, f"line {i}: {len(line)} octets (more than 75)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            find(rel, f"line {i}: folded inside a UTF-8 character")
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except Exception as e:  # the parser's own words
        find(rel, f"icalendar cannot parse it: {e}")
        return None
    for prop, want in (("VERSION", "2.0"), ("METHOD", "PUBLISH"), ("CALSCALE", "GREGORIAN")):
        if str(cal.get(prop, "")) != want:
            find(rel, f"{prop} is {cal.get(prop)!r}, not {want}")
    for prop in ("PRODID", "X-WR-CALNAME"):
        if not str(cal.get(prop, "")).strip():
            find(rel, f"no {prop}")
    zone = str(cal.get("X-WR-TIMEZONE", ""))
    tzs = [str(z.get("TZID")) for z in cal.walk("VTIMEZONE")]
    # A calendar without events needs (and has) no VTIMEZONE.
    if not zone or (tzs != [zone] and cal.walk("VEVENT")):
        find(rel, f"VTIMEZONE {tzs} does not match X-WR-TIMEZONE {zone!r}")
    for z in cal.walk("VTIMEZONE"):
        if not (z.walk("STANDARD") or z.walk("DAYLIGHT")):
            find(rel, "a VTIMEZONE without an observance")
    events = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID", ""))
        if not uid:
            find(rel, "an event without a UID")
            continue
        if uid in events:
            find(rel, f"UID {uid} twice")
        for prop in ("DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if ev.get(prop) is None:
                find(rel, f"{uid}: no {prop}")
        if ev.get("DTSTART") is None or ev.get("DTEND") is None:
            continue
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
            find(rel, f"{uid}: not an all-day event")
            continue
        if end <= start:
            find(rel, f"{uid}: DTEND {end} is not after DTSTART {start} (the end is exclusive)")
        events[uid] = (start, end, str(ev.get("SUMMARY", "")))
    return events


def check_liaoning(rel, events, lang):
    got = sorted((u.split("@")[0], s, e) for u, (s, e, _) in events.items())
    want = sorted((u, s, e + dt.timedelta(days=1)) for u, s, e in LIAONING)
    if got != want:
        find(rel, f"Liaoning's events are {got}, expected {want}")
        return
    windows = [(s, e) for u, (s, e, _) in events.items() if "publicity" in u]
    for s, e in windows:
        if (e - s).days != 7:
            find(rel, f"a publicity window of {(e - s).days} days: {s} – {e}")
    lasts = sorted(e - dt.timedelta(days=1) for _, e in windows)
    if lasts != [D(2025, 8, 18), D(2025, 8, 28)]:
        find(rel, f"publicity windows end on {lasts}, not 18 and 28 August")
    summary = events["stage-finalists-publicity@liaoning.podium"][2]
    want_summary = {"zh": "初赛公示", "en": "Public notice of finalists"}[lang]
    if summary != want_summary:
        find(rel, f"SUMMARY {summary!r}, expected {want_summary!r} in this language")


def check_calendars(root):
    paths = sorted(glob.glob(os.path.join(root, "**", "timeline.ics"), recursive=True))
    if not paths:
        find(root, "no timeline.ics found")
    by_site = {}
    for p in paths:
        rel = os.path.relpath(p, root)
        events = check_ics(p, rel)
        if events is None:
            continue
        site = site_of(p, root)
        lang = "en" if "/en/" in "/" + rel else "zh"
        by_site.setdefault(site, {})[lang] = events
        if site == "liaoning":
            check_liaoning(rel, events, lang)
        if site == "heilongjiang":
            days = sorted((s.isoformat(), e.isoformat()) for s, e, _ in events.values())
            want = [("2025-04-30", "2025-05-01"), ("2025-09-30", "2025-10-01"), ("2025-10-07", "2025-10-08")]
            if days != want:
                find(rel, f"Heilongjiang's approximate stages are {days}, expected their bounds {want}")
    for site, langs in by_site.items():
        uids = {l: sorted(e) for l, e in langs.items()}
        if len({tuple(u) for u in uids.values()}) > 1:
            find(site, f"the languages' calendars have different UIDs: {uids}")
    for required in ("liaoning", "heilongjiang"):
        if os.path.isdir(os.path.join(root, required, "data")) and required not in by_site:
            find(required, "no calendar")
    return len(paths)


# ---------------------------------------------------------------- JSON

def load_schemas():
    schemas = {}
    for p in sorted(glob.glob(os.path.join(SCHEMA_DIR, "*.schema.json"))):
        s = json.load(open(p, encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(s)
        schemas[s["$id"]] = (os.path.basename(p), s)
    if not schemas:
        find(SCHEMA_DIR, "no schemas")
    return schemas


def check_json(root, schemas):
    paths = sorted(p for p in glob.glob(os.path.join(root, "**", "data", "*.json"), recursive=True))
    if not paths:
        find(root, "no data/*.json found")
    for p in paths:
        rel = os.path.relpath(p, root)
        try:
            doc = json.load(open(p, encoding="utf-8"))
        except Exception as e:
            find(rel, f"not JSON: {e}")
            continue
        name = os.path.basename(p)[: -len(".json")]
        sid = doc.get("schema") if isinstance(doc, dict) else None
        if sid not in schemas:
            find(rel, f"names no known schema: {sid!r}")
            continue
        schema_file, schema = schemas[sid]
        if schema_file != f"{name}.schema.json":
            find(rel, f"names the schema of {schema_file}")
        v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        for err in sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(x) for x in err.absolute_path) or "(top)"
            find(rel, f"{where}: {err.message}")
        site = site_of(p, root)
        if name == "tracks" and site in ("liaoning", "heilongjiang"):
            tracks = doc.get("tracks", [])
            counts = (len(tracks), sum(len(t.get("topics", [])) for t in tracks))
            want = {"liaoning": (10, 81), "heilongjiang": (12, 81)}[site]
            if counts != want:
                find(rel, f"{counts[0]} tracks / {counts[1]} topics, expected {want[0]} / {want[1]}")
    for p in sorted(glob.glob(os.path.join(root, "**", "data", "schema", "*.json"), recursive=True)):
        shipped = json.load(open(p, encoding="utf-8"))
        mine = json.load(open(os.path.join(SCHEMA_DIR, os.path.basename(p)), encoding="utf-8"))
        if shipped != mine:
            find(os.path.relpath(p, root), "differs from docs/schema/")
    return len(paths)


# ---------------------------------------------------------------- CSV

def check_csv(root):
    paths = sorted(glob.glob(os.path.join(root, "**", "data", "*.csv"), recursive=True))
    if not paths:
        find(root, "no data/*.csv found")
    for p in paths:
        rel = os.path.relpath(p, root)
        name = os.path.basename(p)
        raw = open(p, "rb").read()
        if not raw.startswith(b"\xef\xbb\xbf"):
            find(rel, "no UTF-8 byte order mark (Excel would misread Chinese)")
        quoted, prev = False, None
        for b in raw:
            if b == 0x22:
                quoted = not quoted
            elif b == 0x0A and not quoted and prev != 0x0D:
                find(rel, "a record ends with LF, not CRLF")
                break
            prev = b
        if not raw.endswith(b"\r\n"):
            find(rel, "the last record does not end with CRLF")
        with open(p, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f, strict=True))
        if not rows:
            find(rel, "empty")
            continue
        want = COLUMNS.get(name)
        if want is None:
            find(rel, "an undocumented CSV file")
            continue
        if rows[0] != want:
            find(rel, f"columns {rows[0]}, expected {want}")
        for i, r in enumerate(rows[1:], 2):
            if len(r) != len(want):
                find(rel, f"record {i} has {len(r)} fields, not {len(want)}")
        twin = os.path.join(os.path.dirname(p), {"topics.csv": "tracks.json", "publicity.csv": "publicity.json"}[name])
        if os.path.exists(twin):
            doc = json.load(open(twin, encoding="utf-8"))
            if name == "topics.csv":
                n = sum(len(t["topics"]) for t in doc.get("tracks", []))
            else:
                n = sum(len(l["entries"]) for l in doc.get("lists", []))
            if len(rows) - 1 != n:
                find(rel, f"{len(rows) - 1} rows, but {os.path.basename(twin)} has {n}")
    return len(paths)


roots = sys.argv[1:]
schemas = load_schemas()
n_ics = n_json = n_csv = 0
for root in roots:
    n_ics += check_calendars(root)
    n_json += check_json(root, schemas)
    n_csv += check_csv(root)
for f in findings:
    print("opendata:", f)
print(f"opendata: {n_ics} calendars, {n_json} JSON and {n_csv} CSV files checked, {len(findings)} finding(s)")
sys.exit(1 if findings else 0)
