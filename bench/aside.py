#!/usr/bin/env python3
"""The set-aside corpus: projects of projects.py with an "aside" group.

Group 1 is "aside": True (civetweb, nng, memcached, nghttp2, cpprest, thrift;
already read once), group 2 is "aside": 2 (poco, znc, aria2; read once too),
group 3 is "aside": 3 (rocksdb, librdkafka, qbittorrent; read once too),
group 4 is "aside": 4 (fastdds, mongo-c-driver, czmq; read once too). Each group is
prepared and run on its own (--group N, default 1), with its own seed and its
own files: bench/out/aside-prepare.json and aside-findings.txt for group 1,
aside<N>-prepare.json and aside<N>-findings.txt for group N >= 2.

Run through bench/aside.sh. Steps:

  prepare  fetch each set-aside package (bench.py's fetch), make its
           compile_commands.json (bench.py's compdb), list its TUs, pick the
           TUs of the final run (all of them, or a seeded sample of
           --max-tus when there are more), and check that they parse: one
           clang-tidy 22 run per TU WITHOUT the plugin and without any
           leak-* check (--checks=-*,readability-duplicate-include, the
           benchmark's floor). Writes bench/out/aside[N]-prepare.json and
           prints a table. Shows no leak-* finding: none is computed.
  run      the final measurement: tools/leak-tidy-run over the chosen TUs of
           each project, raw findings into bench/out/aside[N]-findings.txt.
  needs    print the Debian packages the group's configure steps need
           ("needs" in projects.py), for bench/aside.sh's apt step.

The TUs of the final run: every TU, or a seeded sample of --max-tus (default:
the project's "max_tus" in projects.py, else 200) when there are more.

The set-aside projects exist to measure precision on code the checks were
never tuned on; their findings must not be seen before that final run.
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench  # noqa: E402
from projects import PROJECTS  # noqa: E402

DEFAULT_MAX_TUS = 200


def aside_group(proj):
    """0 for a project of the regular benchmark, else its set-aside group
    ("aside": True is group 1)."""
    g = proj.get("aside", False)
    if g is True:
        return 1
    if g is False or g is None:
        return 0
    if not isinstance(g, int) or g < 1:
        raise SystemExit('projects.py: %s has "aside": %r (True or a group number >= 1)' % (proj["name"], g))
    return g


def groups():
    return sorted({aside_group(p) for p in PROJECTS} - {0})


def seed(group):
    return "leak-tidy-aside-%d" % group


def out_name(group, what):
    """aside-prepare.json / aside-findings.txt for group 1 (the names it had
    before there were groups), aside2-prepare.json ... for the others."""
    return "aside%s-%s" % ("" if group == 1 else group, what)


def aside_projects(group, names=None):
    projs = [p for p in PROJECTS if aside_group(p) == group]
    if not projs:
        raise SystemExit("no set-aside group %d in projects.py (groups: %s)"
                         % (group, ", ".join(map(str, groups()))))
    if names:
        unknown = set(names) - {p["name"] for p in projs}
        if unknown:
            raise SystemExit("not set-aside projects of group %d: %s" % (group, ", ".join(sorted(unknown))))
        projs = [p for p in projs if p["name"] in names]
    return projs


def max_tus_of(proj, max_tus):
    """--max-tus when given, else the project's "max_tus", else 200."""
    return max_tus if max_tus is not None else proj.get("max_tus", DEFAULT_MAX_TUS)


def chosen_tus(group, proj, tus, max_tus):
    """Every TU, or a seeded sample of max_tus of them (sorted)."""
    if max_tus <= 0 or len(tus) <= max_tus:
        return list(tus)
    return sorted(random.Random("%s:%s" % (seed(group), proj["name"])).sample(tus, max_tus))


def prepared(args):
    out = []
    for proj in aside_projects(args.group, args.projects):
        src = bench.fetch(args.cache, proj)
        bdir = bench.compdb(args.cache, proj, src)
        tus = bench.translation_units(proj, src, bdir)
        if not tus:
            raise SystemExit("%s: no translation unit in %s/compile_commands.json" % (proj["name"], bdir))
        out.append((proj, src, bdir, tus, chosen_tus(args.group, proj, tus, max_tus_of(proj, args.max_tus))))
    return out


def parse_one(clang_tidy, src, bdir, tu):
    """clang-tidy 22 on one TU, no plugin, no leak check: compiler errors only."""
    cmd = [clang_tidy, "--config={}", "--checks=" + bench.FLOOR_CHECKS, "--quiet", "-p", bdir, tu]
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    errors, own, first = 0, 0, None
    for line in p.stdout.splitlines():
        m = bench.DIAG_RE.match(line)
        if not m or m.group(4) not in ("error", "fatal error"):
            continue
        errors += 1
        if not m.group(1).startswith("/usr/"):
            own += 1
        if first is None:
            f = m.group(1)  # as clang printed it; relative to the source dir when inside it
            if os.path.isabs(f) and os.path.realpath(f).startswith(os.path.realpath(src) + os.sep):
                f = os.path.relpath(os.path.realpath(f), os.path.realpath(src))
            first = "%s:%s: %s" % (f, m.group(2), m.group(5))
    crashed = p.returncode < 0 or "Stack dump:" in p.stdout
    return {"tu": tu, "errors": errors, "own_errors": own, "first_error": first, "crashed": crashed,
            "wall": time.time() - t0}


def prepare(args):
    plan = prepared(args)
    path = os.path.join(args.out, out_name(args.group, "prepare.json"))
    report = {"seed": seed(args.group), "group": args.group, "projects": {}}
    for proj, src, bdir, tus, chosen in plan:
        bench.log("%s %s: %d TUs, %d for the final run" % (proj["name"], bench.package_version(args.cache, proj),
                                                            len(tus), len(chosen)))
        rec = {"package": proj["package"], "version": bench.package_version(args.cache, proj), "src": src,
               "build": bdir, "kind": proj["kind"], "tus_total": len(tus), "tus_chosen": len(chosen),
               "max_tus": max_tus_of(proj, args.max_tus)}
        if not args.no_parse_check:
            check = chosen
            if 0 < args.parse_sample < len(chosen):
                rng = random.Random("%s:parse:%s" % (seed(args.group), proj["name"]))
                check = sorted(rng.sample(chosen, args.parse_sample))
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
                res = list(ex.map(lambda tu: parse_one(args.clang_tidy, src, bdir, tu), check))
            rec["parse_checked"] = len(check)
            bad = [r for r in res if r["own_errors"] or r["crashed"]]
            rec.update({"parsed_clean": sum(1 for r in res if not r["errors"] and not r["crashed"]),
                        "system_errors_only": sum(1 for r in res if r["errors"] and not r["own_errors"]),
                        "own_errors": len(bad),
                        "bad": [dict(r, tu=os.path.relpath(r["tu"], src)) for r in bad],
                        "system_errors": [dict(r, tu=os.path.relpath(r["tu"], src)) for r in res
                                          if r["errors"] and not r["own_errors"] and not r["crashed"]],
                        "parse_wall": sum(r["wall"] for r in res)})
            for r in bad:
                bench.log("    %s: %d errors (%d own), first: %s" % (os.path.relpath(r["tu"], src), r["errors"],
                                                                     r["own_errors"], r["first_error"]))
        report["projects"][proj["name"]] = rec
    os.makedirs(args.out, exist_ok=True)
    mine = report["projects"]
    report["projects"] = {}
    if os.path.exists(path):
        # Keep the other projects' records of an earlier (or concurrent)
        # prepare, and the parse check of a project prepared now with
        # --no-parse-check when its TUs are the same.
        with open(path) as fh:
            old = json.load(fh)
        if old.get("seed") == seed(args.group):
            names = {p["name"] for p in aside_projects(args.group)}
            report["projects"] = {k: v for k, v in old.get("projects", {}).items() if k in names}
    for name, rec in mine.items():
        prev = report["projects"].get(name, {})
        if "parsed_clean" not in rec and prev.get("tus_chosen") == rec["tus_chosen"] and \
                prev.get("tus_total") == rec["tus_total"]:
            rec = dict(prev, **rec)
        report["projects"][name] = rec
    with open(path, "w") as fh:
        json.dump(report, fh, indent=1)
    order = {p["name"]: i for i, p in enumerate(aside_projects(args.group))}
    print("| project | Debian version | compile DB | TUs | final run | parse-checked | parse clean "
          "| system-header errors only | own errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in sorted(report["projects"].items(), key=lambda kv: order.get(kv[0], 99)):
        print("| %s | %s | %s | %d | %d | %s | %s | %s | %s |" % (
            name, r["version"], r["kind"], r["tus_total"], r["tus_chosen"],
            r.get("parse_checked", r["tus_chosen"] if "parsed_clean" in r else "-"),
            r.get("parsed_clean", "-"), r.get("system_errors_only", "-"), r.get("own_errors", "-")))


def run(args):
    if not os.access(args.leak_tidy, os.X_OK):
        raise SystemExit("leak-tidy not found at %s (build the plugin first)" % args.leak_tidy)
    plan = prepared(args)
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, out_name(args.group, "findings.txt"))
    status = 0
    with open(path, "w") as fh:
        fh.write("# leak-tidy on the set-aside corpus, group %d, %s\n# leak-tidy: %s\n# command per project: %s -p "
                 "BUILD --leak-tidy %s -j%d --root SRC --no-progress TU...\n" % (
                     args.group, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), args.leak_tidy, args.runner,
                     args.leak_tidy, args.jobs))
        for proj, src, bdir, tus, chosen in plan:
            version = bench.package_version(args.cache, proj)
            bench.log("%s %s: leak-tidy-run over %d of %d TUs" % (proj["name"], version, len(chosen), len(tus)))
            cmd = [sys.executable, args.runner, "-p", bdir, "--leak-tidy", args.leak_tidy, "-j%d" % args.jobs,
                   "--root", src, "--no-progress"] + chosen
            t0 = time.time()
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
            fh.write("\n## %s %s (%s): %d of %d TUs%s, exit %d, %.0f s\n" % (
                proj["name"], version, src, len(chosen), len(tus),
                " (seeded sample, seed %s)" % seed(args.group) if len(chosen) < len(tus) else "", p.returncode,
                time.time() - t0))
            fh.write(p.stdout)
            for line in p.stderr.splitlines():
                fh.write("# stderr: %s\n" % line)
            fh.flush()
            if p.returncode not in (0, 1):
                bench.log("%s: leak-tidy-run exited %d" % (proj["name"], p.returncode))
                status = 1
            summary = p.stderr.strip().splitlines()[-1:] or ["(no summary)"]
            bench.log("    " + summary[0])
    bench.log("wrote %s" % path)
    return status


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["prepare", "run", "needs"])
    ap.add_argument("--cache", default=os.path.join(HERE, "cache"))
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--projects", nargs="*", default=None)
    ap.add_argument("--group", type=int, default=1, help="the set-aside group (\"aside\": True is 1)")
    ap.add_argument("--max-tus", type=int, default=None,
                    help="sample this many TUs of a larger project (0 = all; default: the project's max_tus, "
                         "else %d)" % DEFAULT_MAX_TUS)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--clang-tidy", default="/usr/lib/llvm-22/bin/clang-tidy")
    ap.add_argument("--leak-tidy", default=os.path.join(ROOT, "build", "bin", "leak-tidy"))
    ap.add_argument("--runner", default=os.path.join(ROOT, "tools", "leak-tidy-run"))
    ap.add_argument("--no-parse-check", action="store_true")
    ap.add_argument("--parse-sample", type=int, default=0,
                    help="parse-check only a seeded sample of this many of a project's TUs (0 = all)")
    args = ap.parse_args()
    args.leak_tidy = os.path.abspath(args.leak_tidy)
    if args.step == "needs":
        # The Debian packages the group's configure steps need, one a line.
        print("\n".join(sorted({n for p in aside_projects(args.group, args.projects) for n in p.get("needs", [])})))
        return 0
    if args.step == "prepare":
        prepare(args)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
