"""The project facts store of leak-tidy (docs/architecture.md, "Project facts").

Each TU that leak-tidy checks with `leak.ExportFacts` writes `<dir>/tu/<sha1 of its main file>.jsonl`: a "tu" line
(its main file, the plugin version, the files it read with their sha256), fact lines (`key` = a clang USR, `kind`,
payload) and question lines (a key the TU asked about and the digest of the answer it saw). `merge` joins the fact
lines of the chosen TUs into `<dir>/facts.idx`: a header line, then `<key>\\t<json>` lines sorted bytewise, which the
plugin binary-searches without loading the file. `digest` is the answer's fingerprint; a TU whose questions now have
another digest must be checked again (phase 2).

  python3 facts.py merge DIR [TU_FILE...]   # merge every (or the given) per-TU file of DIR
"""
import hashlib
import json
import os
import sys
import tempfile

HEADER = "#leak-tidy-facts 1"


def tu_file(directory, main_file):
    """The per-TU file of the TU whose main file is `main_file` (an absolute path)."""
    name = hashlib.sha1(os.path.abspath(main_file).encode()).hexdigest() + ".jsonl"
    return os.path.join(directory, "tu", name)


def read_tu(path):
    """(tu header dict, [fact dicts], [question dicts]) of one per-TU file; None when it is missing or torn."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError):
        return None
    if not lines or lines[0].get("kind") != "tu":
        return None
    facts = [r for r in lines[1:] if r.get("kind") != "question"]
    questions = [r for r in lines[1:] if r.get("kind") == "question"]
    return lines[0], facts, questions


def _line(record):
    # The same bytes the plugin hashes: compact JSON, keys in the plugin's order (llvm::json sorts keys).
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def merge(directory, tu_paths=None):
    """Writes `<directory>/facts.idx` from the given per-TU files (default: all); returns the number of facts."""
    tu_dir = os.path.join(directory, "tu")
    if tu_paths is None:
        tu_paths = sorted(os.path.join(tu_dir, n) for n in os.listdir(tu_dir)) if os.path.isdir(tu_dir) else []
    lines = []
    for path in tu_paths:
        parsed = read_tu(path)
        if parsed is None:
            continue
        for fact in parsed[1]:
            if "key" in fact:
                lines.append(fact["key"] + "\t" + _line(fact))
    lines.sort(key=lambda s: s.encode("utf-8"))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".facts.idx.")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for line in lines:
            out.write(line + "\n")
    os.replace(tmp, os.path.join(directory, "facts.idx"))
    return len(lines)


def load_index(directory):
    """{key: [json text, ...]} of `<directory>/facts.idx` (for the driver's digests; the plugin never loads it all)."""
    index = {}
    try:
        with open(os.path.join(directory, "facts.idx"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or "\t" not in line:
                    continue
                key, text = line.rstrip("\n").split("\t", 1)
                index.setdefault(key, []).append(text)
    except OSError:
        pass
    return index


def digest(index, key, tu):
    """The fingerprint of what TU `tu` reads about `key`: sha1 of the other TUs' lines, or "" when there are none."""
    texts = [t for t in index.get(key, []) if json.loads(t).get("tu") != tu]
    if not texts:
        return ""
    return hashlib.sha1("".join(t + "\n" for t in texts).encode("utf-8")).hexdigest()


def main(argv):
    if len(argv) >= 2 and argv[0] == "merge":
        n = merge(argv[1], argv[2:] or None)
        print("%d facts in %s" % (n, os.path.join(argv[1], "facts.idx")))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
