#!/usr/bin/env python3
"""What the leak checks add to each keystroke-triggered rebuild in the editor.

For each file, leak-clangd is driven over LSP (lsp_client.py): didOpen, then
--edits didChange notifications that append a comment (the preamble is
reused, as when typing in a function body), each timed until its
publishDiagnostics. The same files are measured in two workspaces that differ
only in their .clangd:

  without: Diagnostics: {ClangTidy: {Remove: ['*']}}
  with:    Diagnostics: {ClangTidy: {Add: ['leak-*'], FastCheckFilter: Loose}}

The two configurations alternate for --rounds rounds, in alternating order
(the machine's noise hits both alike); per file it prints the median of the
per-round median rebuild times and the fastest rebuild, and the ratios
with/without of both (on a busy machine the min ratio is the steadier one). Flags per file come from its `// leak-tidy-flags: ...`
line (as in examples/), else from --flags.

  python3 test/clangd/bench_rebuild.py --clangd build/bin/leak-clangd examples/*.cpp
"""
import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIGS = {
    "without": "Diagnostics:\n  ClangTidy:\n    Remove: ['*']\n",
    "with": "Diagnostics:\n  ClangTidy:\n    Add: ['leak-*']\n    FastCheckFilter: Loose\n",
}


def flags_of(path, default):
    for line in Path(path).read_text(errors="replace").splitlines()[:20]:
        if "leak-tidy-flags:" in line:
            return shlex.split(line.split("leak-tidy-flags:", 1)[1])
    return shlex.split(default)


def make_root(base, name, files, default_flags):
    root = Path(base) / name
    root.mkdir()
    (root / ".clangd").write_text(CONFIGS[name])
    (root / ".clang-tidy").write_text("Checks: '-*'\n")
    cdb, copies = [], []
    for i, f in enumerate(files):
        sub = root / ("f%02d" % i)
        sub.mkdir()
        dst = sub / Path(f).name
        shutil.copy(f, dst)
        compiler = "clang-22" if dst.suffix == ".c" else "clang++-22"
        cdb.append({"directory": str(sub), "file": str(dst),
                    "arguments": [compiler] + flags_of(f, default_flags) + ["-c", str(dst)]})
        copies.append(dst)
    (root / "compile_commands.json").write_text(json.dumps(cdb, indent=1))
    return root, copies


def run(clangd, root, copies, edits, timeout, trace=None):
    cmd = [sys.executable, str(HERE / "lsp_client.py"), "--clangd", clangd, "--timeout", str(timeout),
           "bench", "--root", str(root), "--edits", str(edits)] + [str(c) for c in copies]
    env = dict(os.environ)
    env.pop("CLANGD_TRACE", None)
    if trace:
        env["CLANGD_TRACE"] = str(trace)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit("bench failed:\n" + out.stdout + out.stderr)
    res = []
    for line in out.stdout.splitlines():
        m = re.search(r" median +([0-9.]+) ms +min +([0-9.]+) ms", line)
        if m:
            res.append((float(m.group(1)), float(m.group(2))))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clangd", required=True)
    ap.add_argument("--edits", type=int, default=10, help="rebuilds per file per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--flags", default="-std=c++17", help="flags for files without a leak-tidy-flags line")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    samples = {name: [[] for _ in args.files] for name in CONFIGS}
    tidy = [[] for _ in args.files]
    with tempfile.TemporaryDirectory(prefix="leak-clangd-bench.") as base:
        roots = {name: make_root(base, name, args.files, args.flags) for name in CONFIGS}
        for r in range(args.rounds):
            order = list(CONFIGS) if r % 2 == 0 else list(reversed(list(CONFIGS)))
            for name in order:
                root, copies = roots[name]
                trace = Path(base) / ("trace-%d.json" % r) if name == "with" else None
                for i, res in enumerate(run(args.clangd, root, copies, args.edits, args.timeout, trace)):
                    samples[name][i].append(res)
                if trace:
                    for i, spans in enumerate(tidy_spans(trace, len(args.files), args.edits + 1)):
                        tidy[i] += spans
    print("%-40s %21s %21s %13s" % ("", "without leak-* (ms)", "with leak-* (ms)", "ratio"))
    print("%-40s %10s %10s %10s %10s %6s %6s" % ("file", "median", "min", "median", "min",
                                                  "median", "min"))
    tot = {(n, k): 0.0 for n in CONFIGS for k in (0, 1)}
    for i, f in enumerate(args.files):
        row = {}
        for n in CONFIGS:
            row[(n, 0)] = statistics.median(x[0] for x in samples[n][i])
            row[(n, 1)] = min(x[1] for x in samples[n][i])
            for k in (0, 1):
                tot[(n, k)] += row[(n, k)]
        print_row(f, row)
    print_row("all files (sum)", tot)
    print("(%d rounds x %d rebuilds per file and configuration; median of the per-round medians,"
          " min over all rebuilds)" % (args.rounds, args.edits))
    # clangd's own trace spans (CLANGD_TRACE) of the "with" runs: the part of
    # each AST build spent in clang-tidy, measured inside the same build, so
    # the machine's load hardly skews the share.
    print()
    print("%-40s %10s %10s %10s %10s %7s" % ("clang-tidy inside each rebuild (with)", "BuildAST",
                                              "TidyInit", "TidyMatch", "TidyDiags", "share"))
    all_b = all_t = 0.0
    for i, f in enumerate(args.files):
        rows = tidy[i]
        if not rows:
            continue
        med = [statistics.median(r[k] for r in rows) for k in range(4)]
        all_b += med[0]
        all_t += sum(med[1:])
        print("%-40s %10.1f %10.2f %10.2f %10.2f %6.1f%%" % (
            f[-40:], med[0], med[1], med[2], med[3], 100 * sum(med[1:]) / med[0]))
    if all_b:
        print("%-40s %10.1f %32.2f %6.1f%%  -> rebuild ratio with/without ~ %.3f" % (
            "all files (sum of medians)", all_b, all_t, 100 * all_t / all_b, all_b / (all_b - all_t)))
    print("(ms; median over %d rounds x %d rebuilds; the didOpen build is left out)" % (
        args.rounds, args.edits))


def tidy_spans(trace, nfiles, builds_per_file):
    """[(BuildAST, ClangTidyInit, ClangTidyMatch, ClangTidyDiags) per rebuild] per file."""
    data = json.loads(Path(trace).read_bytes().decode("utf-8", "replace"))
    events = data["traceEvents"] if isinstance(data, dict) else data
    spans = sorted((e for e in events if e.get("ph") == "X" and e.get("name") in
                    ("BuildAST", "ClangTidyInit", "ClangTidyMatch", "ClangTidyDiags")),
                   key=lambda e: e["ts"])
    builds = [e for e in spans if e["name"] == "BuildAST"]
    out = []
    for b in builds:
        inner = {"ClangTidyInit": 0.0, "ClangTidyMatch": 0.0, "ClangTidyDiags": 0.0}
        for e in spans:
            if e["name"] in inner and b["ts"] <= e["ts"] <= b["ts"] + b["dur"]:
                inner[e["name"]] += e["dur"]
        out.append((b["dur"] / 1000, inner["ClangTidyInit"] / 1000, inner["ClangTidyMatch"] / 1000,
                    inner["ClangTidyDiags"] / 1000))
    if len(out) != nfiles * builds_per_file:
        print("warning: %d BuildAST spans in %s, expected %d; skipping the trace" % (
            len(out), trace, nfiles * builds_per_file), file=sys.stderr)
        return [[] for _ in range(nfiles)]
    # Files are opened one after the other: each owns builds_per_file builds,
    # the first of them the didOpen build (left out: it is not a keystroke).
    return [out[i * builds_per_file + 1:(i + 1) * builds_per_file] for i in range(nfiles)]


def print_row(label, row):
    def ratio(k):
        return row[("with", k)] / row[("without", k)] if row[("without", k)] else float("nan")
    print("%-40s %10.1f %10.1f %10.1f %10.1f %6.2f %6.2f" % (
        label[-40:], row[("without", 0)], row[("without", 1)], row[("with", 0)], row[("with", 1)],
        ratio(0), ratio(1)))


if __name__ == "__main__":
    main()
