#!/usr/bin/env python3
"""Copies the notices of a Podium corpus (examples/gen-corpus.rs) into the
Hugo site of benches/hugo, for the comparison in docs/performance.md.

usage: scripts/hugo-corpus.py PODIUM_CORPUS HUGO_SITE_COPY
Writes HUGO_SITE_COPY/content/notices/<slug>.<lang>.md (Hugo reads the
language from the file name, as Podium does) with title, date and summary."""
import os, sys
corpus, site = sys.argv[1:3]
src = os.path.join(corpus, "content", "corpus", "notices")
dst = os.path.join(site, "content", "notices")
os.makedirs(dst, exist_ok=True)
for lang in ("zh", "en"):
    with open(os.path.join(dst, f"_index.{lang}.md"), "w", encoding="utf-8") as f:
        f.write("---\ntitle: Notices\n---\n")
n = 0
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name), encoding="utf-8") as f:
        text = f.read()
    with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
        f.write(text)  # the front matter (title, date, summary) is Hugo's too
    n += 1
print(f"{n} files into {dst}")
