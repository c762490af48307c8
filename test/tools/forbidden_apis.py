#!/usr/bin/env python3
"""Fails when lib/ or checks/ call an API that makes Clang build the parent
map of the whole translation unit (system headers included): that map was the
largest part of leak-tidy's overhead on real code (docs/architecture.md, Cost).
Use lib/ParentIndex instead. Comments and string literals are ignored.

Usage: forbidden_apis.py SRC_ROOT [FILE...]   (files: check these instead)
"""
import re
import sys
from pathlib import Path

FORBIDDEN = {
    r"\bgetParents\s*\(": "ASTContext::getParents (use ParentIndex::get(Ctx).parents)",
    r"\bParentMapContext\b": "ParentMapContext (use ParentIndex)",
    r"\bhasParent\s*\(": "the hasParent matcher",
    r"\bhasAncestor\s*\(": "the hasAncestor matcher",
    r"\bforCallable\s*\(": "forCallable (use forCallableInUserCode)",
    r"\bforFunction\s*\(": "forFunction (use forCallableInUserCode)",
    r"\bisInTemplateInstantiation\s*\(": "isInTemplateInstantiation (use inTemplateInstantiation)",
    r"\bisInstantiated\s*\(": "isInstantiated (use isInInstantiation)",
}


def strip(text):
    """Blank out comments and string/char literals, keeping line numbers."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main():
    root = Path(sys.argv[1])
    files = [Path(f) for f in sys.argv[2:]] or sorted(
        p for d in ("lib", "checks") for p in (root / d).rglob("*")
        if p.suffix in (".cpp", ".h"))
    bad = 0
    for f in files:
        code = strip(f.read_text(errors="replace"))
        for no, line in enumerate(code.split("\n"), 1):
            for pat, what in FORBIDDEN.items():
                if re.search(pat, line):
                    print("%s:%d: %s builds the whole TU's parent map" % (f, no, what))
                    bad += 1
    print("%d file(s) scanned, %d forbidden call(s)" % (len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
