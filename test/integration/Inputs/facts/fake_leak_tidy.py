#!/usr/bin/env python3
"""A stand-in for leak-tidy that follows the project facts contract (docs/design-project-facts.md) with made-up
facts, so that facts_driver_test.py can test leak-tidy-run's phases exactly, whatever the real checks ask.

  // FACT <key> <value>   (in the main file or a quoted include) -> a fact {"kind":"test","value":...} about <key>
  // ASK <key>            (in the main file) -> looks <key> up in the store: with a store (facts.idx) and no
                          record of another TU: "nobody provides <key>"; a record with value "bad": "provided
                          badly" with a note at the record; else silent. Without a store: silent (open world).
It reads LEAK_TIDY_PROJECT_FACTS / LEAK_TIDY_EXPORT_FACTS like the plugin, writes the per-TU file atomically,
and appends "<main file> export=<0|1> store=<0|1>" to $FAKE_LEAK_TIDY_LOG for every TU it checks. The digest is
computed here from the contract's words, independently of tools/leaktidy/facts.py."""
import hashlib
import json
import os
import re
import sys
import tempfile

VERSION = "9.9-fake"
args = sys.argv[1:]
if "--version" in args:
    print("leak-tidy version %s (built for LLVM 22; plugin: %s)" % (VERSION, os.path.realpath(__file__)))
    print("LLVM (http://llvm.org/):\n  LLVM version 22.1.0")
    sys.exit(0)
main = next(os.path.realpath(a) for a in args if a.endswith(".cpp"))
store_dir = os.environ.get("LEAK_TIDY_PROJECT_FACTS")
export = os.environ.get("LEAK_TIDY_EXPORT_FACTS") == "1"
idx = os.path.join(store_dir, "facts.idx") if store_dir else None
has_store = bool(idx and os.path.isfile(idx))
with open(os.environ["FAKE_LEAK_TIDY_LOG"], "a") as log:
    log.write("%s export=%d store=%d\n" % (main, export, has_store))

store = {}
if has_store:
    with open(idx, encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert lines[0] == "#leak-tidy-facts 1", "bad store header"
    for line in lines[1:]:
        key, text = line.split("\t", 1)
        store.setdefault(key, []).append(text)


def read_files(path, seen):
    if path in seen or not os.path.isfile(path):
        return
    seen.append(path)
    for inc in re.findall(r'^#include "([^"]+)"', open(path).read(), re.M):
        for base in (os.path.dirname(path), os.path.join(os.path.dirname(path), "..", "include")):
            cand = os.path.realpath(os.path.join(base, inc))
            if os.path.isfile(cand):
                read_files(cand, seen)
                break


files = []
read_files(main, files)
facts, questions, out = [], [], []
for path in files:
    for n, line in enumerate(open(path).read().splitlines(), 1):
        m = re.search(r"// FACT (\S+) (\S+)", line)
        if m:
            facts.append({"key": m.group(1), "kind": "test", "tu": main, "file": path, "line": n,
                          "value": m.group(2)})
        m = re.search(r"// ASK (\S+)", line)
        if m and path == main:
            key = m.group(1)
            others = [t for t in store.get(key, []) if json.loads(t)["tu"] != main]
            seen = hashlib.sha1("".join(t + "\n" for t in others).encode()).hexdigest() if others else ""
            if {"kind": "question", "key": key, "seen": seen} not in questions:
                questions.append({"kind": "question", "key": key, "seen": seen})
            if has_store and not others:
                out.append("%s:%d:4: warning: nobody provides %s [leak-fake-ask]" % (path, n, key))
            for t in others:
                r = json.loads(t)
                if r["value"] == "bad":
                    out.append("%s:%d:4: warning: %s provided badly [leak-fake-ask]" % (path, n, key))
                    out.append("%s:%d:1: note: provided here" % (r["file"], r["line"]))
print("\n".join(out))
if export and store_dir:
    def js(o):
        return json.dumps(o, sort_keys=True, separators=(",", ":"))
    head = {"kind": "tu", "tu": main, "version": VERSION,
            "files": [{"path": p, "sha256": hashlib.sha256(open(p, "rb").read()).hexdigest()} for p in files]}
    body = "".join(js(o) + "\n" for o in [head] + facts + questions)
    tu_dir = os.path.join(store_dir, "tu")
    fd, tmp = tempfile.mkstemp(dir=tu_dir, prefix=".tmp-")
    with os.fdopen(fd, "w") as f:
        f.write(body)
    os.replace(tmp, os.path.join(tu_dir, hashlib.sha1(main.encode()).hexdigest() + ".jsonl"))
sys.exit(0)
