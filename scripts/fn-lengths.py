#!/usr/bin/env python3
"""Lists the longest functions of the Rust sources (tests excluded), and
the longest files: what docs/architecture.md and issue 13 aim to keep short.

usage: scripts/fn-lengths.py [DIR=src] [N=15]
A function's length is from its `fn` line to its closing brace. Braces in
strings, chars and comments are skipped well enough for this code base."""
import os, re, sys

root = sys.argv[1] if len(sys.argv) > 1 else "src"
most = int(sys.argv[2]) if len(sys.argv) > 2 else 15
FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(unsafe\s+)?fn\s+(\w+)")

def strip(line, state):
    """The line without strings, chars and comments; state carries /* */."""
    out, i = [], 0
    while i < len(line):
        if state["block"]:
            j = line.find("*/", i)
            if j < 0:
                return "".join(out)
            state["block"], i = False, j + 2
            continue
        c = line[i]
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            state["block"], i = True, i + 2
            continue
        if c == '"':
            j = i + 1
            while j < len(line) and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            i = j + 1
            continue
        if c == "'" and re.match(r"'(\\.|[^\\'])'", line[i:i + 4]):
            i = line.index("'", i + 2) + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)

fns, files = [], []
for dirpath, _, names in os.walk(root):
    for n in names:
        if not n.endswith(".rs"):
            continue
        path = os.path.join(dirpath, n)
        lines = open(path, encoding="utf-8").read().split("\n")
        # Code before `#[cfg(test)]` only.
        end = next((i for i, l in enumerate(lines) if l.strip() == "#[cfg(test)]"), len(lines))
        files.append((end, path))
        state, stack, depth = {"block": False}, [], 0
        for i, raw in enumerate(lines[:end]):
            m = FN.match(raw)
            code = strip(raw, state)
            if m and "{" in code:
                stack.append((m.group(5), i, depth))
            elif m and not code.rstrip().endswith(";"):
                stack.append((m.group(5), i, depth))
            for ch in code:
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                    if stack and depth == stack[-1][2]:
                        name, start, _ = stack.pop()
                        fns.append((i - start + 1, f"{path}:{start + 1}", name))
fns.sort(reverse=True)
print(f"functions over 80 lines: {sum(1 for f in fns if f[0] > 80)} of {len(fns)}")
for length, where, name in fns[:most]:
    print(f"{length:5}  {name:32} {where}")
files.sort(reverse=True)
print(f"\nfiles over 600 lines (code before tests): {sum(1 for f in files if f[0] > 600)} of {len(files)}")
for length, path in files[:most]:
    print(f"{length:5}  {path}")
