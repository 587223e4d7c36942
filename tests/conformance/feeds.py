#!/usr/bin/env python3
"""Every Atom feed under the given folders: parses clean in feedparser, and
has what Atom 1.0 requires (feedparser itself accepts a missing id or a bad
date, so those are asserted here), its language, and links that stay in
its language. Prints each finding; exits 1 if there is any."""
import glob, os, sys, xml.etree.ElementTree as ET
import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
findings = []

def check(path):
    rel = path
    parsed = feedparser.parse(path)
    if parsed.bozo:
        findings.append(f"{rel}: not well-formed: {parsed.bozo_exception}")
        return
    root = ET.parse(path).getroot()
    if root.tag != ATOM + "feed":
        findings.append(f"{rel}: the root is not an Atom <feed>")
        return
    lang = root.get(XML_LANG)
    if not lang:
        findings.append(f"{rel}: no xml:lang on <feed>")
    for req in ("id", "title", "updated"):
        if root.find(ATOM + req) is None or not (root.find(ATOM + req).text or "").strip():
            findings.append(f"{rel}: <feed> lacks <{req}>")
    self_links = [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
    if len(self_links) != 1:
        findings.append(f"{rel}: needs exactly one <link rel=\"self\">")
    alternate = [l for l in root.findall(ATOM + "link") if l.get("rel") in (None, "alternate")]
    if not alternate:
        findings.append(f"{rel}: no alternate link to the site")
    prefix = self_links[0].get("href").rsplit("atom.xml", 1)[0] if self_links else ""
    feed_author = root.find(ATOM + "author") is not None
    for e in root.findall(ATOM + "entry"):
        ident = (e.findtext(ATOM + "id") or "").strip()
        for req in ("id", "title", "updated"):
            if not (e.findtext(ATOM + req) or "").strip():
                findings.append(f"{rel}: an entry lacks <{req}>")
        if not feed_author and e.find(ATOM + "author") is None:
            findings.append(f"{rel}: entry {ident} has no author and the feed has none")
        if not parsed_date_ok(e.findtext(ATOM + "updated") or ""):
            findings.append(f"{rel}: entry {ident} has an <updated> that is not RFC 3339")
        links = [l.get("href", "") for l in e.findall(ATOM + "link") if l.get("rel") in (None, "alternate")]
        if not links:
            findings.append(f"{rel}: entry {ident} has no link")
        for h in links:
            if prefix and not h.startswith(prefix):
                findings.append(f"{rel}: entry link {h} leaves the feed's language ({prefix})")
    if not parsed_date_ok(root.findtext(ATOM + "updated") or ""):
        findings.append(f"{rel}: <updated> is not RFC 3339")

def parsed_date_ok(s):
    import re
    return re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", s.strip()) is not None

paths = []
for d in sys.argv[1:]:
    paths += sorted(glob.glob(os.path.join(d, "**", "atom.xml"), recursive=True))
if not paths:
    findings.append("no atom.xml found")
for p in paths:
    check(p)
for f in findings:
    print("feed:", f)
print(f"feeds: {len(paths)} checked, {len(findings)} finding(s)")
sys.exit(1 if findings else 0)
