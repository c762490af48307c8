#!/usr/bin/env python3
"""Cold vs warm leak-tidy-run on a real project, and the header-change case.

  python3 bench/cache_bench.py --leak-tidy-run build/bin/leak-tidy-run \\
      --leak-tidy build/bin/leak-tidy -p bench/cache/build/leveldb --header db/log_writer.h

Runs leak-tidy-run four times with a fresh cache directory (five with
--no-cache-run, which first measures a run without the cache): cold (empty
cache), warm (nothing changed), after appending a comment to --header, and
after restoring it. clang-tidy is started through a wrapper that logs each TU
it lints, so the TUs re-linted are observed, not taken from leak-tidy-run's
summary; the TUs that include the header are found independently with the
compiler's -M. Prints wall and CPU (children user+sys) seconds of each run.
"""
import argparse
import json
import os
import resource
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time


def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.time() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return p, wall, cpu


def includers(compdb, header):
    """TUs whose compile command reads header (by the compiler's own -M)."""
    out = set()
    for e in json.load(open(compdb)):
        argv = e.get("arguments") or shlex.split(e["command"])
        args, skip = [], False
        for x in argv[1:]:
            if skip:
                skip = False
                continue
            if x in ("-o", "-MF", "-MT", "-MQ"):
                skip = True
                continue
            if x in ("-c", "-MD", "-MMD"):
                continue
            args.append(x)
        p = subprocess.run([argv[0]] + args + ["-M", "-w"], cwd=e["directory"], capture_output=True, text=True)
        deps = {os.path.realpath(os.path.join(e["directory"], d))
                for d in p.stdout.replace("\\\n", " ").split() if not d.endswith(":")}
        if os.path.realpath(header) in deps:
            out.add(os.path.realpath(os.path.join(e["directory"], e["file"])))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--leak-tidy-run", required=True)
    ap.add_argument("--leak-tidy", required=True)
    ap.add_argument("-p", required=True, help="build dir with compile_commands.json")
    ap.add_argument("--header", required=True, help="header of the project, relative to its source root")
    ap.add_argument("--src", help="source root (default: the directory of the first TU's project)")
    ap.add_argument("-j", default="2")
    ap.add_argument("--no-cache-run", action="store_true",
                    help="first a run with --no-cache: what the cache costs on a cold run")
    a = ap.parse_args()
    compdb = os.path.join(a.p, "compile_commands.json")
    entries = json.load(open(compdb))
    src = a.src or os.path.commonpath([os.path.realpath(os.path.join(e["directory"], e["file"])) for e in entries])
    header = os.path.join(src, a.header)
    if not os.path.isfile(header):
        sys.exit("no header %s (give the project's source root with --src)" % header)
    work = tempfile.mkdtemp(prefix="leak-cache-bench-")
    log = os.path.join(work, "linted.log")
    wrapper = os.path.join(work, "leak-tidy")
    with open(wrapper, "w") as f:
        f.write('#!/bin/sh\nfor a in "$@"; do last=$a; done\n'
                'case "$last" in --version) ;; *) echo "$last" >> %s ;; esac\nexec %s "$@"\n'
                % (shlex.quote(log), shlex.quote(os.path.realpath(a.leak_tidy))))
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IEXEC)
    cache = os.path.join(work, "cache")
    base = [sys.executable, a.leak_tidy_run, "-p", a.p, "--leak-tidy", wrapper, "--root", src,
            "--cache-dir", cache, "-j", a.j, "--no-progress"]

    def step(name, more=()):
        open(log, "w").close()
        p, wall, cpu = run(base + list(more))
        linted = sorted(set(open(log).read().split()))
        summary = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
        print("%-16s wall %7.2f s  cpu %7.2f s  TUs linted %3d  exit %d  | %s"
              % (name, wall, cpu, len(linted), p.returncode, summary))
        return wall, cpu, linted, p.stdout

    if a.no_cache_run:
        nc = step("--no-cache", ["--no-cache"])
    cold = step("cold")
    warm = step("warm")
    expect = includers(compdb, header)
    original = open(header, "rb").read()
    try:
        with open(header, "ab") as f:
            f.write(b"\n// leak-tidy cache benchmark: a header edit\n")
        edited = step("header edited")
    finally:
        with open(header, "wb") as f:
            f.write(original)
    restored = step("header restored")
    print("warm/cold: wall %.1f%%, cpu %.1f%%" % (100 * warm[0] / cold[0], 100 * warm[1] / cold[1]))
    if a.no_cache_run:
        print("cold/--no-cache: wall %.1f%%, cpu %.1f%%" % (100 * cold[0] / nc[0], 100 * cold[1] / nc[1]))
    print("TUs including %s (by -M): %d; re-linted after the edit: %d; same set: %s"
          % (a.header, len(expect), len(edited[2]), set(edited[2]) == expect))
    print("findings identical cold/warm: %s; after restoring: %s"
          % (cold[3] == warm[3], cold[3] == restored[3]))
    shutil.rmtree(work)
    ok = warm[2] == [] and set(edited[2]) == expect and restored[2] == [] and cold[3] == warm[3]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
