#!/usr/bin/env python3
"""Seeded, reproducible mutation testing of leak-tidy on broken code.

Takes the lit inputs (test/checks/*.cpp, *.c, test/plugin/*.cpp) and, when
present, a few real files of the benchmark corpus, and makes variants: cut
off at a random character, random lines deleted, a random brace deleted, or
a combination. Runs clang-tidy 22 with the plugin and -checks=-*,leak-* on
each variant and fails on
  * a crash: a signal, exit code > 128, "Stack dump:", a sanitizer report;
  * a hang: a run that takes more than --slack CPU seconds (and 1.5x) beyond
    clang-tidy alone on the same variant (the floor: a preprocessor-only
    check), or that hits --hard-timeout.
Variant k of a given --seed is always the same text, so any failure is
reproduced with --only k (add --write DIR to keep the variant's file; a
crash found becomes a lit test in test/robustness/).

A --budget stops starting new variants once the clang-tidy runs have used
that many CPU seconds (summed over the runs, so a loaded machine, where wall
time stretches, runs the same variants as an idle one), so that the CI time
is bounded; the number actually run is printed (and must be at least
--min-count, or the test fails).
"""
import argparse
import concurrent.futures
import glob
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tidyrun import FLOOR_CHECKS, LEAK_CHECKS, run_tidy  # noqa: E402

# Real corpus files (relative to an unpacked Debian source tree), with the
# flags they need; used only when a corpus directory is found.
CORPUS_FILES = [
    ("leveldb-*", "util/cache.cc", ["-std=c++17", "-I{d}", "-I{d}/include", "-DLEVELDB_PLATFORM_POSIX"]),
    ("libuv1-*", "src/threadpool.c", ["-std=gnu11", "-I{d}/include", "-I{d}/src"]),
    ("leveldb-*", "util/env_posix.cc", ["-std=c++17", "-I{d}", "-I{d}/include", "-DLEVELDB_PLATFORM_POSIX"]),
    ("cpp-httplib-*", "example/server.cc", ["-std=c++14", "-I{d}"]),
    ("leveldb-*", "db/db_impl.cc", ["-std=c++17", "-I{d}", "-I{d}/include", "-DLEVELDB_PLATFORM_POSIX"]),
    ("libuv1-*", "src/timer.c", ["-std=gnu11", "-I{d}/include", "-I{d}/src"]),
    ("spdlog-*", "include/spdlog/details/thread_pool-inl.h",
     ["-x", "c++", "-std=c++17", "-I{d}/include", "-DSPDLOG_FMT_EXTERNAL", "-DSPDLOG_COMPILED_LIB"]),
]


def pkg_config(pkg):
    try:
        out = subprocess.run(["pkg-config", "--cflags", pkg], capture_output=True, text=True, timeout=20)
        return shlex.split(out.stdout) if out.returncode == 0 else []
    except (OSError, subprocess.SubprocessError):
        return []


def lit_flags(path, src_root):
    """Compile flags of a lit input: what follows `--` on its first
    %check_leak RUN line, with the substitutions the lit config knows."""
    default = ["-std=c11"] if path.endswith(".c") else ["-std=c++17"]
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return default
    for m in re.finditer(r"RUN:(.*)", text):
        line = m.group(1)
        if "%check_leak" not in line or " -- " not in line:
            continue
        tail = line.split(" -- ", 1)[1]
        tail = tail.split("|")[0]
        tail = tail.replace("%qt_flags", " ".join(pkg_config("Qt5Core"))) \
                   .replace("%glib_flags", " ".join(pkg_config("glib-2.0"))) \
                   .replace("%S", os.path.dirname(path)).replace("%leak_src", src_root)
        toks = [t for t in shlex.split(tail) if "%" not in t]
        return toks or default
    return default


def collect_inputs(src_root, corpus_dirs, max_corpus):
    inputs = []
    for pat in ("test/checks/*.cpp", "test/checks/*.c", "test/plugin/*.cpp"):
        for f in sorted(glob.glob(os.path.join(src_root, pat))):
            inputs.append((os.path.relpath(f, src_root), f, lit_flags(f, src_root)))
    n = 0
    for d in corpus_dirs:
        if not os.path.isdir(d):
            continue
        for pkg_glob, rel, flags in CORPUS_FILES:
            trees = sorted(t for t in glob.glob(os.path.join(d, pkg_glob)) if os.path.isdir(t))
            if not trees or n >= max_corpus:
                continue
            f = os.path.join(trees[-1], rel)
            if os.path.isfile(f) and not any(i[1] == f for i in inputs):
                inputs.append((os.path.relpath(f, d), f, [x.replace("{d}", trees[-1]) for x in flags]))
                n += 1
        if n:
            break
    return inputs


def mutate(text, rng):
    """One variant of text: returns (new_text, description)."""
    lines = text.split("\n")
    ops = []
    kind = rng.choice(["cut", "delete", "cut+delete", "brace", "delete+brace"])
    if "delete" in kind and len(lines) > 1:
        k = rng.randint(1, min(8, max(1, len(lines) // 4)))
        gone = sorted(rng.sample(range(len(lines)), min(k, len(lines))))
        lines = [l for i, l in enumerate(lines) if i not in set(gone)]
        ops.append("deleted lines %s" % ",".join(str(g + 1) for g in gone))
    text = "\n".join(lines)
    if "brace" in kind:
        pos = [i for i, c in enumerate(text) if c in "{}()"]
        if pos:
            p = rng.choice(pos)
            ops.append("deleted %r at offset %d" % (text[p], p))
            text = text[:p] + text[p + 1:]
    if "cut" in kind and text:
        # Cut in the second half more often than not: past the #includes,
        # inside the code the checks look at.
        p = rng.randint(len(text) // 3, len(text)) if rng.random() < 0.7 else rng.randint(0, len(text))
        ops.append("cut at offset %d of %d" % (p, len(text)))
        text = text[:p]
    return text, "; ".join(ops) or "unchanged"


def variant(inputs, seed, k):
    """Variant k: which input and its text (deterministic in seed, k)."""
    rng = random.Random("%s/%d" % (seed, k))
    name, path, flags = inputs[k % len(inputs)]
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    new, desc = mutate(text, rng)
    return name, path, flags, new, desc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clang-tidy", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--src", required=True, help="leak-tidy source root (for test/checks)")
    ap.add_argument("--corpus", action="append", default=[],
                    help="directories holding unpacked Debian sources (default: $LEAK_TIDY_CORPUS, "
                         "bench/cache/src, /work/corpus)")
    ap.add_argument("--max-corpus-files", type=int, default=4)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--count", type=int, default=int(os.environ.get("LEAK_TIDY_MUTANTS", "300")))
    ap.add_argument("--min-count", type=int, default=0, help="fail if fewer variants ran (budget)")
    ap.add_argument("--budget", type=float, default=float(os.environ.get("LEAK_TIDY_MUTANT_BUDGET", "150")),
                    help="CPU seconds of clang-tidy runs; no new variant is started after that (0 = none)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--slack", type=float, default=3.0, help="CPU seconds allowed beyond the floor")
    ap.add_argument("--hard-timeout", type=float, default=60.0)
    ap.add_argument("--only", type=int, default=None, help="run variant k only")
    ap.add_argument("--write", default=None, help="directory to write failing (or --only) variants to")
    ap.add_argument("--work", default=None, help="scratch directory (default: a temporary one)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    corpus = a.corpus or [d for d in (os.environ.get("LEAK_TIDY_CORPUS"),
                                      os.path.join(a.src, "bench", "cache", "src"), "/work/corpus") if d]
    inputs = collect_inputs(a.src, corpus, a.max_corpus_files)
    if not inputs:
        print("mutate: no inputs found under %s" % a.src)
        return 1
    work = a.work or tempfile.mkdtemp(prefix="leak-mutate-")
    if a.work:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    print("mutate: %d inputs (%d lit, %d corpus), seed %s, up to %d variants, %d jobs, budget %.0fs" % (
        len(inputs), sum(1 for i in inputs if i[0].startswith("test/")),
        sum(1 for i in inputs if not i[0].startswith("test/")), a.seed, a.count, a.jobs, a.budget))

    floor_cache = {}

    def floor_of(path, flags, ext):
        # clang-tidy alone on the unmutated input: the usual cost of the file.
        if path not in floor_cache:
            floor_cache[path] = charge(run_tidy(a.clang_tidy, a.plugin, FLOOR_CHECKS, path, flags, a.hard_timeout))
        return floor_cache[path]

    start = time.time()
    spent = [0.0]  # CPU seconds of all clang-tidy runs so far
    lock = threading.Lock()

    def charge(r):
        with lock:
            spent[0] += r.cpu
        return r

    def one(k):
        if a.only is None and a.budget and spent[0] > a.budget:
            return k, None, None
        name, path, flags, text, desc = variant(inputs, a.seed, k)
        ext = os.path.splitext(path)[1] or ".cpp"
        if ext == ".h":
            ext = ".cpp"
        vpath = os.path.join(work, "v%05d%s" % (k, ext))
        with open(vpath, "w", encoding="utf-8") as fh:
            fh.write(text)
        # Relative #includes of the original keep working: search its dir.
        vflags = list(flags) + ["-I" + os.path.dirname(path)]
        r = charge(run_tidy(a.clang_tidy, a.plugin, LEAK_CHECKS, vpath, vflags, a.hard_timeout))
        problem = None
        if r.crashed:
            problem = "CRASH (%s)" % r.describe()
        elif r.timed_out:
            problem = "HANG: no result after %.0fs" % a.hard_timeout
        else:
            base = floor_of(path, vflags, ext)
            if r.cpu > base.cpu + a.slack:
                # Slower than the intact file alone: compare with clang-tidy
                # alone on this very variant before calling it a hang.
                f = charge(run_tidy(a.clang_tidy, a.plugin, FLOOR_CHECKS, vpath, vflags, a.hard_timeout))
                if r.cpu > f.cpu + a.slack and r.cpu > 1.5 * f.cpu:
                    problem = "SLOW: %.2fs CPU with leak-*, %.2fs with clang-tidy alone" % (r.cpu, f.cpu)
        if problem is None and a.only is None:
            os.unlink(vpath)
        return k, (name, desc, vpath, r), problem

    ks = [a.only] if a.only is not None else list(range(a.count))
    failures = []
    ran = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        for k, info, problem in ex.map(one, ks):
            if info is None:
                continue
            ran += 1
            name, desc, vpath, r = info
            if a.verbose or a.only is not None:
                print("  v%d %s [%s]: %s, %d errors" % (k, name, desc, r.describe(), r.errors))
            if problem:
                failures.append((k, name, desc, vpath, r, problem))
    elapsed = time.time() - start
    for k, name, desc, vpath, r, problem in failures:
        print("FAIL variant %d of %s (%s): %s" % (k, name, desc, problem))
        print("  reproduce: %s %s --clang-tidy %s --plugin %s --src %s %s --max-corpus-files %d --seed %s "
              "--only %d --write DIR" % (sys.executable, os.path.abspath(__file__), a.clang_tidy, a.plugin, a.src,
                                         " ".join("--corpus " + shlex.quote(c) for c in corpus),
                                         a.max_corpus_files, a.seed, k))
        print("  command: %s" % " ".join(shlex.quote(c) for c in r.cmd))
        tail = "\n".join(r.output.splitlines()[-25:])
        print("  output tail:\n    " + tail.replace("\n", "\n    "))
        if a.write:
            os.makedirs(a.write, exist_ok=True)
            shutil.copy(vpath, a.write)
            print("  variant written to %s" % os.path.join(a.write, os.path.basename(vpath)))
    if a.only is not None and a.write and not failures:
        os.makedirs(a.write, exist_ok=True)
        shutil.copy(os.path.join(work, [f for f in os.listdir(work) if f.startswith("v%05d" % a.only)][0]), a.write)
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    print("mutate: %d variants run in %.0fs (%.0f CPU s; of %d planned): %d crashes, %d hangs/slow" % (
        ran, elapsed, spent[0], len(ks), sum(1 for f in failures if f[5].startswith("CRASH")),
        sum(1 for f in failures if not f[5].startswith("CRASH"))))
    if ran < min(a.min_count, len(ks)):
        print("mutate: FAIL: only %d variants ran within the %.0f CPU s budget (--min-count %d)" % (
            ran, a.budget, a.min_count))
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
