#!/usr/bin/env python3
"""leak-tidy benchmark: speed, memory and findings on real Debian C++ sources.

Run through bench/run.sh (which prepares apt, tools and the plugin). Steps:
  fetch    apt-get source each package of projects.py into bench/cache/src
  compdb   compile_commands.json per project into bench/cache/build/<name>
  corpus   for a seeded sample of TUs per project, three clang-tidy runs
           (floor, floor+leak-*, clang-analyzer-*) under /usr/bin/time -v
  scale    generated 1k/10k/50k-line functions and a TU of 5,000 functions
  report   bench/RESULTS.md and bench/FINDINGS.md from bench/out/*.json

Times are CPU times (user+sys of the clang-tidy process, from
/usr/bin/time), one clang-tidy process at a time; only ratios within one run
are reported as results.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from projects import PROJECTS  # noqa: E402
import gen_scale  # noqa: E402

# The floor: one clang-tidy check that only registers preprocessor callbacks
# (no AST matcher, no diagnostics in practice), so run (a) costs what any
# clang-tidy run costs: driver, preprocessing, parsing, Sema, and the AST
# consumer set-up. Everything the leak checks add on top -- their matchers,
# the AST traversal those matchers need, CFGs, analyses -- lands in b - a.
# That is the conservative choice: a floor with an AST-matcher check (e.g.
# readability-braces-around-statements) would already pay for the traversal
# and hide it from the overhead, and a floor that emits many diagnostics
# would inflate a. See docs/benchmarks.md.
FLOOR_CHECKS = "-*,readability-duplicate-include"
LEAK_CHECKS = FLOOR_CHECKS + ",leak-*"
ANALYZER_CHECKS = "-*,clang-analyzer-*"

DIAG_RE = re.compile(r"^(.*?):(\d+):(\d+): (warning|error|note|fatal error): (.*?)(?: \[([\w.,-]+)\])?$")
TIME_RE = re.compile(r"^\s*(User time \(seconds\)|System time \(seconds\)|Elapsed \(wall clock\) time.*|"
                     r"Maximum resident set size \(kbytes\)|Exit status|Command terminated by signal)\s*:?\s*(.*)$")


def log(msg):
    sys.stderr.write("[bench %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def sh(cmd, **kw):
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, **kw)


def benchmark_projects():
    """The projects of the regular benchmark: every project of projects.py
    but the set-aside ones ("aside": True or a group number), which only bench/aside.sh touches
    (their findings must stay unseen until the final precision run)."""
    return [p for p in PROJECTS if not p.get("aside")]


# ---------------------------------------------------------------- fetch

def source_dir(cache, proj):
    pkg = proj["package"]
    cands = [d for d in glob.glob(os.path.join(cache, "src", pkg + "-*"))
             if os.path.isdir(os.path.join(d, "debian"))]
    return sorted(cands)[-1] if cands else None


def package_version(cache, proj):
    dscs = sorted(glob.glob(os.path.join(cache, "src", proj["package"] + "_*.dsc")))
    if not dscs:
        return "?"
    return os.path.basename(dscs[-1])[len(proj["package"]) + 1:-4]


def fetch(cache, proj):
    d = source_dir(cache, proj)
    if d:
        return d
    os.makedirs(os.path.join(cache, "src"), exist_ok=True)
    r = sh(["apt-get", "source", "-q", proj["package"]], cwd=os.path.join(cache, "src"),
           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        log(r.stdout[-2000:])
        raise SystemExit("apt-get source %s failed (is a deb-src entry configured and apt-get update run?)"
                         % proj["package"])
    d = source_dir(cache, proj)
    if not d:
        raise SystemExit("apt-get source %s: no unpacked directory found" % proj["package"])
    return d


# ---------------------------------------------------------------- compdb

def compdb(cache, proj, src):
    bdir = os.path.join(cache, "build", proj["name"])
    db = os.path.join(bdir, "compile_commands.json")
    if os.path.exists(db):
        return bdir
    os.makedirs(bdir, exist_ok=True)
    if proj["kind"] == "cmake":
        cmd = ["cmake", "-S", src, "-B", bdir, "-G", "Ninja", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
               "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_C_COMPILER=clang-22",
               "-DCMAKE_CXX_COMPILER=clang++-22"] + proj.get("cmake_args", [])
        r = sh(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0 or not os.path.exists(db):
            log(r.stdout[-3000:])
            raise SystemExit("cmake configure of %s failed" % proj["name"])
        if proj.get("build_targets"):
            # Headers the build generates or copies (znc's Csocket.h), which
            # the TUs include: those targets only, one job.
            r = sh(["ninja", "-C", bdir, "-j1"] + proj["build_targets"], stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                log(r.stdout[-3000:])
                os.unlink(db)
                raise SystemExit("ninja %s of %s failed" % (" ".join(proj["build_targets"]), proj["name"]))
    else:
        configure = proj.get("configure")
        if configure and not os.path.exists(os.path.join(src, configure["creates"])):
            r = sh(configure["cmd"], cwd=src, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0 or not os.path.exists(os.path.join(src, configure["creates"])):
                log(r.stdout[-3000:])
                raise SystemExit("configure of %s failed" % proj["name"])
        entries = []
        for pat in proj["tus"]:
            for f in sorted(glob.glob(os.path.join(src, pat), recursive=True)):
                # C files get the C compiler and the project's C flags when
                # it has some ("c_flags"); otherwise everything is C++.
                if f.endswith(".c") and "c_flags" in proj:
                    cmd = ["clang-22"] + proj["c_flags"]
                else:
                    cmd = ["clang++-22"] + proj.get("flags", [])
                entries.append({"directory": src, "file": f, "arguments": cmd + ["-c", f]})
        with open(db, "w") as fh:
            json.dump(entries, fh, indent=1)
    return bdir


def translation_units(proj, src, bdir):
    with open(os.path.join(bdir, "compile_commands.json")) as fh:
        db = json.load(fh)
    srcreal = os.path.realpath(src)
    tus = set()
    for e in db:
        f = os.path.realpath(os.path.join(e["directory"], e["file"]))
        if not f.startswith(srcreal + os.sep):
            continue
        if not re.search(r"\.(c|cc|cpp|cxx)$", f):
            continue
        if any(re.search(x, f) for x in proj.get("exclude", [])):
            continue
        tus.add(f)
    return sorted(tus)


# ---------------------------------------------------------------- running clang-tidy

def run_tidy(args, checks, files, extra=None, build_dir=None, compile_args=None,
             header_filter=None, timeout=600, profile_dir=None):
    """One clang-tidy process under /usr/bin/time -v. Returns a dict with
    cpu (user+sys s), wall, rss_mb, rc, crashed, timed_out, diags, errors."""
    with tempfile.NamedTemporaryFile(prefix="bench-time-", suffix=".txt", delete=False) as tf:
        tfile = tf.name
    # --config={} : the project's own .clang-tidy files (spdlog has one) must
    # not change what runs; only --checks below decides.
    cmd = ["/usr/bin/time", "-v", "-o", tfile, args.clang_tidy, "--load=" + args.plugin,
           "--config={}", "--checks=" + checks, "--quiet"]
    if header_filter:
        cmd.append("--header-filter=" + header_filter)
    if build_dir:
        cmd += ["-p", build_dir]
    if profile_dir:
        cmd += ["--enable-check-profile", "--store-check-profile=" + profile_dir]
    cmd += extra or []
    cmd += files
    if compile_args is not None:
        cmd += ["--"] + compile_args
    t0 = time.time()
    timed_out = False
    # A session of its own, so that a timeout kills clang-tidy too, not only
    # /usr/bin/time (an orphaned clang-tidy would go on eating the CPU).
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         errors="replace", start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        out, _ = p.communicate()
        rc = -9
    wall = time.time() - t0
    res = {"cmd": cmd, "rc": rc, "timed_out": timed_out, "wall": wall, "cpu": None, "rss_mb": None}
    try:
        with open(tfile) as fh:
            for line in fh:
                m = TIME_RE.match(line)
                if not m:
                    continue
                key, val = m.group(1), m.group(2).strip()
                if key.startswith("User time"):
                    res["user"] = float(val)
                elif key.startswith("System time"):
                    res["sys"] = float(val)
                elif key.startswith("Maximum resident"):
                    res["rss_mb"] = int(val) / 1024.0
                elif key.startswith("Command terminated by signal"):
                    res["signal"] = val
        os.unlink(tfile)
    except OSError:
        pass
    if "user" in res and "sys" in res:
        res["cpu"] = res["user"] + res["sys"]
    res["crashed"] = bool(rc < 0 and not timed_out) or rc > 128 or "signal" in res or \
        "Stack dump:" in out or "PLEASE submit a bug report" in out
    diags, errors, own_errors = [], 0, 0
    for line in out.splitlines():
        m = DIAG_RE.match(line)
        if not m:
            continue
        path, lno, col, kind, msg, check = m.groups()
        if kind in ("error", "fatal error"):
            errors += 1
            if not path.startswith("/usr/"):
                own_errors += 1
        diags.append({"file": path, "line": int(lno), "col": int(col), "kind": kind,
                      "msg": msg, "check": check})
    res["diags"] = [d for d in diags if d["check"] and d["check"].startswith("leak-")]
    res["errors"] = errors
    # Errors outside /usr/ (the project's own code or missing headers) make
    # the AST incomplete; errors only inside system headers (e.g. Boost 1.74's
    # MPL integral_wrapper, rejected by clang >= 20) leave the project's code
    # parsed and are tolerated.
    res["own_errors"] = own_errors
    res["first_error"] = next(("%s:%d: %s" % (d["file"], d["line"], d["msg"]) for d in diags
                               if d["kind"] in ("error", "fatal error")), None)
    if res["crashed"] or timed_out:
        res["output_tail"] = out[-4000:]
    return res


def read_profiles(profile_dir):
    """Per-check user+sys seconds summed over the JSON files that
    clang-tidy --store-check-profile wrote into profile_dir."""
    per = {}
    for f in glob.glob(os.path.join(profile_dir, "*.json")):
        try:
            with open(f) as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            continue
        for key, val in data.get("profile", {}).items():
            m = re.match(r"time\.clang-tidy\.(.+)\.(wall|user|sys)$", key)
            if not m or m.group(2) == "wall":
                continue
            per[m.group(1)] = per.get(m.group(1), 0.0) + float(val)
    return per


def measure(args, files, build_dir=None, compile_args=None, header_filter=None, want_analyzer=True):
    """Floor / floor+leak (args.repeat each, interleaved, min CPU kept), one
    profiled leak run, one analyzer run."""
    m = {"a": [], "b": []}
    for _ in range(args.repeat):
        for cfg, checks in (("a", FLOOR_CHECKS), ("b", LEAK_CHECKS)):
            m[cfg].append(run_tidy(args, checks, files, build_dir=build_dir, compile_args=compile_args,
                                   header_filter=header_filter, timeout=args.timeout))
    pdir = tempfile.mkdtemp(prefix="bench-prof-")
    prof = run_tidy(args, LEAK_CHECKS, files, build_dir=build_dir, compile_args=compile_args,
                    header_filter=header_filter, timeout=args.timeout, profile_dir=pdir)
    per_check = read_profiles(pdir)
    shutil.rmtree(pdir, ignore_errors=True)
    c = None
    if want_analyzer:
        c = run_tidy(args, ANALYZER_CHECKS, files, build_dir=build_dir, compile_args=compile_args,
                     header_filter=header_filter, timeout=args.analyzer_timeout)

    def best(runs):
        ok = [r for r in runs if r["cpu"] is not None and not r["timed_out"]]
        return min(ok, key=lambda r: r["cpu"]) if ok else runs[0]

    a, b = best(m["a"]), best(m["b"])
    rec = {
        "a_cpu": a["cpu"], "b_cpu": b["cpu"], "c_cpu": c["cpu"] if c else None,
        "a_cpu_all": [r["cpu"] for r in m["a"]], "b_cpu_all": [r["cpu"] for r in m["b"]],
        "a_rss": a["rss_mb"], "b_rss": max((r["rss_mb"] or 0) for r in m["b"] + [prof]),
        "c_rss": c["rss_mb"] if c else None,
        "c_timed_out": bool(c and c["timed_out"]),
        "errors": a["errors"], "own_errors": a.get("own_errors", 0), "first_error": a["first_error"],
        "crashes": [dict(cfg=cfg, rc=r["rc"], tail=r.get("output_tail", ""), cmd=" ".join(r["cmd"]))
                    for cfg, rs in (("a", m["a"]), ("b", m["b"] + [prof]), ("c", [c] if c else []))
                    for r in rs if r["crashed"]],
        "b_timed_out": any(r["timed_out"] for r in m["b"] + [prof]),
        "per_check": {k: v for k, v in per_check.items() if k.startswith("leak-")},
        "floor_check_profile": {k: v for k, v in per_check.items() if not k.startswith("leak-")},
        "findings": b["diags"],
        "cmd_b": " ".join(b["cmd"][4:]),
    }
    return rec


# ---------------------------------------------------------------- corpus

def corpus(args):
    cache = args.cache
    plan = []
    meta = {}
    aside = sorted(set(args.projects or []) & {p["name"] for p in PROJECTS if p.get("aside")})
    if aside:
        raise SystemExit("set-aside project(s) %s are not benchmarked here: use bench/aside.sh" % ", ".join(aside))
    for proj in benchmark_projects():
        if args.projects and proj["name"] not in args.projects:
            continue
        src = fetch(cache, proj)
        bdir = compdb(cache, proj, src)
        tus = translation_units(proj, src, bdir)
        n = len(tus) if args.tus_per_project <= 0 else min(args.tus_per_project, len(tus))
        sample = sorted(random.Random("%s:%s" % (args.seed, proj["name"])).sample(tus, n))
        meta[proj["name"]] = {"package": proj["package"], "version": package_version(cache, proj),
                              "why": proj["why"], "kind": proj["kind"], "src": src, "build": bdir,
                              "tus_total": len(tus), "tus_sampled": len(sample)}
        log("%s %s: %d TUs, sampling %d" % (proj["name"], meta[proj["name"]]["version"], len(tus), n))
        plan.append((proj, src, bdir, sample))
    # Round-robin over projects so that a time budget cut still covers each.
    order = []
    for i in range(max((len(p[3]) for p in plan), default=0)):
        for proj, src, bdir, sample in plan:
            if i < len(sample):
                order.append((proj, src, bdir, sample[i]))
    results = []
    start = time.time()
    for k, (proj, src, bdir, tu) in enumerate(order):
        if args.budget and time.time() - start > args.budget:
            log("time budget of %ds reached: %d of %d TUs measured" % (args.budget, k, len(order)))
            meta["_budget_cut"] = {"measured": k, "planned": len(order)}
            break
        rel = os.path.relpath(tu, os.path.dirname(src))
        log("[%d/%d] %s" % (k + 1, len(order), rel))
        hf = "^" + re.escape(os.path.realpath(src)) + "/"
        rec = measure(args, [tu], build_dir=bdir, header_filter=hf, want_analyzer=not args.no_analyzer)
        rec.update({"project": proj["name"], "tu": rel, "src_root": os.path.dirname(os.path.realpath(src))})
        for d in rec["findings"]:
            d["file"] = os.path.relpath(os.path.realpath(d["file"]), rec["src_root"])
        results.append(rec)
        log("    a=%.2fs b/a=%s c/a=%s rss a/b/c=%s/%s/%s MB errors=%d findings=%d crashes=%d" % (
            rec["a_cpu"] or -1, fmt_ratio(rec["b_cpu"], rec["a_cpu"]), fmt_ratio(rec["c_cpu"], rec["a_cpu"]),
            fmt_mb(rec["a_rss"]), fmt_mb(rec["b_rss"]), fmt_mb(rec["c_rss"]), rec["errors"],
            len(rec["findings"]), len(rec["crashes"])))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "corpus.json"), "w") as fh:
        json.dump({"meta": meta, "results": results, "seed": args.seed, "repeat": args.repeat,
                   "tus_per_project": args.tus_per_project, "elapsed": time.time() - start}, fh, indent=1)


# ---------------------------------------------------------------- scaling

def scale(args):
    d = os.path.join(args.cache, "scale")
    files = gen_scale.generate(d, use_asio=os.path.exists("/usr/include/boost/asio.hpp"))
    results = []
    for name, path, lines in files:
        log("scale %s (%d lines)" % (name, lines))
        rec = measure(args, [path], compile_args=gen_scale.COMPILE_ARGS, want_analyzer=False)
        rec.update({"name": name, "lines": lines})
        log("    a=%.2fs b=%.2fs b-a=%.2fs rss a/b=%s/%s MB errors=%d crashes=%d" % (
            rec["a_cpu"] or -1, rec["b_cpu"] or -1, (rec["b_cpu"] or 0) - (rec["a_cpu"] or 0),
            fmt_mb(rec["a_rss"]), fmt_mb(rec["b_rss"]), rec["errors"], len(rec["crashes"])))
        results.append(rec)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "scale.json"), "w") as fh:
        json.dump({"results": results}, fh, indent=1)


# ---------------------------------------------------------------- report

def fmt_ratio(x, y):
    if x is None or not y:
        return "n/a"
    return "%.3f" % (x / y)


def fmt_mb(x):
    return "n/a" if x is None else "%.0f" % x


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, f="%.3f"):
    return "n/a" if x is None else f % x


def machine_info():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as fh:
            mem = "%.0f GiB" % (int(fh.readline().split()[1]) / 1024.0 / 1024.0)
    except (OSError, ValueError, IndexError):
        pass
    osname = "?"
    try:
        with open("/etc/os-release") as fh:
            for line in fh:
                if line.startswith("PRETTY_NAME="):
                    osname = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "%s, %d cores (os.cpu_count), %s RAM, %s, kernel %s" % (
        cpu, os.cpu_count() or 0, mem, osname, platform.release())


def tool_version(args):
    try:
        out = subprocess.run([args.clang_tidy, "--version"], capture_output=True, text=True).stdout
        m = re.search(r"LLVM version ([\w.~+-]+)", out)
        return m.group(1) if m else out.strip().splitlines()[0]
    except OSError:
        return "?"


def git_rev():
    try:
        rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "checks", "lib"],
                               capture_output=True, text=True).stdout.strip()
        return rev + (" (+ uncommitted changes in checks/ or lib/)" if dirty else "")
    except OSError:
        return "?"


def report(args):
    def load(name):
        p = os.path.join(args.out, name)
        if not os.path.exists(p):
            return None
        with open(p) as fh:
            return json.load(fh)

    corp = load("corpus.json")
    scl = load("scale.json")
    L = []
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L.append("# leak-tidy benchmark results")
    L.append("")
    if args.note:
        L.append("> **%s**" % args.note)
        L.append("")
    L.append("Generated by `bench/run.sh` (bench/bench.py); see docs/benchmarks.md for the method.")
    L.append("")
    L.append("- Date: %s" % today)
    L.append("- Machine: %s" % machine_info())
    L.append("- clang-tidy: %s (`%s`); plugin `%s` built from commit %s" % (
        tool_version(args), args.clang_tidy, os.path.relpath(args.plugin, ROOT), git_rev()))
    L.append("- Configurations, one clang-tidy process per TU, one at a time, plugin loaded in all three:")
    L.append("  - (a) floor: `--checks='%s'` (preprocessor callbacks only: parse cost)" % FLOOR_CHECKS)
    L.append("  - (b) floor + leak: `--checks='%s'`" % LEAK_CHECKS)
    L.append("  - (c) static analyzer: `--checks='%s'`" % ANALYZER_CHECKS)
    if corp:
        L.append("- Times: CPU seconds (user+sys, `/usr/bin/time -v`) of the clang-tidy process; (a) and (b) "
                 "run %d times interleaved, the minimum kept; (c) once; peak memory = maximum resident set size. "
                 "Per-check times: one extra (b) run with `--enable-check-profile --store-check-profile`."
                 % corp["repeat"])
        tpp = corp["tus_per_project"]
        L.append("- Sample: %s TUs per project, drawn with seed `%s` (Python random.sample over the sorted TU list "
                 "of the compile DB, minus the project's excluded paths); corpus part took %.0f s."
                 % ("all" if tpp <= 0 else str(tpp), corp["seed"], corp["elapsed"]))
        if "_budget_cut" in corp["meta"]:
            bc = corp["meta"]["_budget_cut"]
            L.append("- **Time budget reached**: %d of %d planned TUs measured." % (bc["measured"], bc["planned"]))
    L.append("- Command: `%s`" % (args.command or "bench/run.sh"))
    if corp and corp["results"]:
        L.append("- One run (b) as executed (under `/usr/bin/time -v -o FILE`): `%s`" % corp["results"][0]["cmd_b"])
    if os.environ.get("BENCH_START"):
        L.append("- Whole run (setup, fetch, compile DBs, corpus, scaling) took %.0f s of wall time."
                 % (time.time() - float(os.environ["BENCH_START"])))
    L.append("")
    if corp:
        res = corp["results"]
        good = [r for r in res if not r.get("own_errors") and not r["crashes"] and r["a_cpu"]]
        L.append("## Corpus")
        L.append("")
        L.append("| project | Debian version | compile DB | TUs (sampled/total) | what it exercises |")
        L.append("|---|---|---|---|---|")
        for name, m in corp["meta"].items():
            if name.startswith("_"):
                continue
            L.append("| %s | %s | %s | %d/%d | %s |" % (name, m["version"], m["kind"], m["tus_sampled"],
                                                       m["tus_total"], m["why"]))
        L.append("")
        L.append("## Overhead per project")
        L.append("")
        L.append("Medians over the TUs whose own code compiled without error (TUs with compiler errors outside "
                 "/usr/ are listed below and left out of the medians: their AST is incomplete; errors only inside "
                 "system headers are tolerated and listed too).")
        L.append("")
        L.append("| project | TUs | median a (s) | median b/a | max b/a | median c/a | median peak MB a / b / c "
                 "| max peak MB b | b−a RSS max (MB) |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        groups = [(n, [r for r in good if r["project"] == n]) for n in corp["meta"] if not n.startswith("_")]
        groups.append(("**overall**", good))
        for name, rs in groups:
            if not rs:
                L.append("| %s | 0 | | | | | | | |" % name)
                continue
            ba = [r["b_cpu"] / r["a_cpu"] for r in rs if r["b_cpu"] is not None]
            # The analyzer does not run on a TU with any compiler error.
            ca = [r["c_cpu"] / r["a_cpu"] for r in rs
                  if r["c_cpu"] is not None and not r["c_timed_out"] and not r["errors"]]
            L.append("| %s | %d | %s | %s | %s | %s | %s / %s / %s | %s | %s |" % (
                name, len(rs), fmt(med([r["a_cpu"] for r in rs]), "%.2f"), fmt(med(ba)),
                fmt(max(ba) if ba else None), fmt(med(ca), "%.2f"),
                fmt(med([r["a_rss"] for r in rs]), "%.0f"), fmt(med([r["b_rss"] for r in rs]), "%.0f"),
                fmt(med([r["c_rss"] for r in rs]), "%.0f"), fmt(max(r["b_rss"] or 0 for r in rs), "%.0f"),
                fmt(max((r["b_rss"] or 0) - (r["a_rss"] or 0) for r in rs), "%.0f")))
        spreads = [max(r["a_cpu_all"]) / min(r["a_cpu_all"]) - 1.0 for r in good
                   if len(r.get("a_cpu_all") or []) > 1 and min(r["a_cpu_all"]) > 0]
        if spreads:
            L.append("")
            L.append("Measurement noise: the %d runs of the same floor (a) on one TU differ by %.1f%% (median over "
                     "TUs; max %.1f%%). A b/a within that distance of 1 is indistinguishable from no overhead."
                     % (corp["repeat"], 100 * med(spreads), 100 * max(spreads)))
        cto = [r for r in res if r.get("c_timed_out")]
        if cto:
            L.append("")
            L.append("(c) timed out (limit %ds) and was left out of c/a on: %s" % (
                args.analyzer_timeout, ", ".join("`%s`" % r["tu"] for r in cto)))
        L.append("")
        L.append("Target: median b/a ≤ 1.05. c/a leaves out TUs with any compiler error (the Clang Static "
                 "Analyzer skips a TU that has errors, so its time there is only the parse).")
        L.append("")
        # per check
        L.append("## Time per leak check")
        L.append("")
        L.append("From `--enable-check-profile` (user+sys of each check's matcher callbacks), summed over all "
                 "measured TUs, relative to the summed floor time (a). Work a check does outside its matcher "
                 "callbacks (e.g. in onEndOfTranslationUnit) is not in this profile but is in b−a.")
        L.append("")
        tot_a = sum(r["a_cpu"] for r in good)
        checks = {}
        for r in good:
            for k, v in r["per_check"].items():
                checks[k] = checks.get(k, 0.0) + v
        L.append("| check | total s | % of floor | slowest TU for it (s) |")
        L.append("|---|---|---|---|")
        tot_b_a = sum((r["b_cpu"] or 0) - r["a_cpu"] for r in good)
        for k in sorted(checks, key=lambda k: -checks[k]):
            worst = max(good, key=lambda r: r["per_check"].get(k, 0.0))
            L.append("| %s | %.3f | %.2f%% | `%s` (%.3f) |" % (k, checks[k], 100.0 * checks[k] / tot_a if tot_a else 0,
                                                           worst["tu"], worst["per_check"].get(k, 0.0)))
        if not checks:
            L.append("| (no leak-* check reported any matcher time) | | | |")
        L.append("")
        L.append("Sum over TUs: a = %.1f s, b − a = %.2f s (%.2f%%)." % (
            tot_a, tot_b_a, 100.0 * tot_b_a / tot_a if tot_a else 0))
        L.append("")
        # slowest TUs
        L.append("## Slowest TUs")
        L.append("")
        L.append("By b − a (the leak checks' added CPU time), top 10.")
        L.append("")
        L.append("| TU | a (s) | b − a (s) | b/a | c/a | peak MB b | slowest leak check (s) |")
        L.append("|---|---|---|---|---|---|---|")
        for r in sorted(good, key=lambda r: -((r["b_cpu"] or 0) - r["a_cpu"]))[:10]:
            pc = max(r["per_check"].items(), key=lambda kv: kv[1]) if r["per_check"] else ("-", 0.0)
            L.append("| `%s/%s` | %.2f | %.3f | %s | %s | %s | %s (%.3f) |" % (
                r["project"], r["tu"].split("/", 1)[-1], r["a_cpu"], (r["b_cpu"] or 0) - r["a_cpu"],
                fmt_ratio(r["b_cpu"], r["a_cpu"]), fmt_ratio(r["c_cpu"], r["a_cpu"]), fmt_mb(r["b_rss"]),
                pc[0], pc[1]))
        L.append("")
        # errors / crashes
        crashes = [(r, c) for r in res for c in r["crashes"]]
        L.append("## Crashes and timeouts")
        L.append("")
        if not crashes and not any(r["b_timed_out"] for r in res):
            L.append("None: no clang-tidy run crashed (signal, `Stack dump`) or timed out (limit %ds) in (a) or (b)."
                     % args.timeout)
        for r, c in crashes:
            L.append("- **crash** in (%s) on `%s` (exit %s): `%s`" % (c["cfg"], r["tu"], c["rc"], c["cmd"]))
            L.append("")
            L.append("```")
            L.append(c["tail"][-1500:])
            L.append("```")
        for r in res:
            if r["b_timed_out"]:
                L.append("- **timeout** in (b) on `%s`" % r["tu"])
        L.append("")
        errs = [r for r in res if r["errors"]]
        if errs:
            L.append("## TUs with compiler errors")
            L.append("")
            L.append("`own` = errors outside /usr/ (TU left out of the medians); errors only in system headers are "
                     "tolerated (TU kept).")
            L.append("")
            for r in errs:
                L.append("- `%s`: %d errors (%d own), first: `%s`" % (r["tu"], r["errors"], r.get("own_errors", 0),
                                                               (r["first_error"] or "").replace("`", "'")))
            L.append("")
    if scl:
        L.append("## Scaling")
        L.append("")
        L.append("Generated code (bench/gen_scale.py) with threads, timers, caches, queues and slices in loops and "
                 "branches, so every check has candidates. Linear means the leak checks' time per line (b−a per "
                 "1k lines) stays flat from 1k to 50k lines; b/a includes the fixed parse of the headers.")
        L.append("")
        L.append("| input | lines | a (s) | b (s) | b − a (s) | (b − a) per 1k lines (ms) | b/a | peak MB a / b "
                 "| leak findings | slowest check (s) |")
        L.append("|---|---|---|---|---|---|---|---|---|---|")
        for r in scl["results"]:
            d = (r["b_cpu"] or 0) - (r["a_cpu"] or 0)
            pc = max(r["per_check"].items(), key=lambda kv: kv[1]) if r["per_check"] else ("-", 0.0)
            L.append("| %s | %d | %s | %s | %.3f | %.1f | %s | %s / %s | %d | %s (%.3f) |" % (
                r["name"], r["lines"], fmt(r["a_cpu"], "%.2f"), fmt(r["b_cpu"], "%.2f"), d,
                1000.0 * d / (r["lines"] / 1000.0), fmt_ratio(r["b_cpu"], r["a_cpu"]), fmt_mb(r["a_rss"]),
                fmt_mb(r["b_rss"]), len(r["findings"]), pc[0], pc[1]))
        funcs = {r["name"]: r for r in scl["results"]}
        L.append("")
        f10, f50 = funcs.get("func-10k"), funcs.get("func-50k")
        if f10 and f50:
            d10 = (f10["b_cpu"] or 0) - (f10["a_cpu"] or 0)
            d50 = (f50["b_cpu"] or 0) - (f50["a_cpu"] or 0)
            if d50 < 0.5:
                L.append("Growth 10k → 50k lines: b − a is %.2f s at 50k lines, within measurement noise: "
                         "no growth to judge (linear or better)." % d50)
            else:
                g = d50 / d10 if d10 > 0.05 else float("inf")
                L.append("Growth 10k → 50k lines (5× the code): b − a grows %.1f× — %s." % (
                    g, "linear (≤ 7.5×)" if g <= 7.5 else "**worse than linear**"))
        bad = [r for r in scl["results"] if r["crashes"] or r["b_timed_out"] or r["errors"]]
        for r in bad:
            L.append("- `%s`: crashes=%d timeout=%s compiler errors=%d" % (
                r["name"], len(r["crashes"]), r["b_timed_out"], r["errors"]))
        L.append("")
    with open(os.path.join(HERE, "RESULTS.md"), "w") as fh:
        fh.write("\n".join(L).rstrip() + "\n")
    log("wrote bench/RESULTS.md")
    if corp:
        write_findings(args, corp)


FIND_ROW = re.compile(r"^\| *\d+ *\| *leak-[\w-]+ *\|.*\|$")


# Everything from this line to the end of FINDINGS.md is written by hand
# (e.g. whole-project runs judged by the authors) and kept as it is.
KEEP_MARK = "<!-- Written by hand from here on: bench.py keeps this part as it is. -->"


def write_findings(args, corp):
    path = os.path.join(HERE, "FINDINGS.md")
    old = {}
    kept = ""
    if os.path.exists(path):
        with open(path) as fh:
            text = fh.read()
        if KEEP_MARK in text:
            text, kept = text.split(KEEP_MARK, 1)
            kept = KEEP_MARK + kept
        for line in text.splitlines():
            line = line.strip()
            if not FIND_ROW.match(line):
                continue
            # Split on unescaped pipes; a person may have written
            # unescaped pipes into the last column: they stay in it.
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            if len(cells) < 6:
                continue
            num, chk, loc, msg, verdict = cells[:5]
            why = " | ".join(cells[5:])
            if verdict != "unjudged" and loc.startswith("`") and loc.endswith("`"):
                old[(chk, loc[1:-1], msg)] = (verdict, why)
    seen = {}
    for r in corp["results"]:
        for d in r["findings"]:
            if d["kind"] != "warning":
                continue
            loc = "%s:%d" % (d["file"], d["line"])
            msg = d["msg"].replace("|", "\\|")
            key = (d["check"], loc, msg)
            seen.setdefault(key, r["project"] + "/" + r["tu"].split("/", 1)[-1])
    L = ["# leak-tidy findings on the corpus", ""]
    if args.note:
        L += ["> **%s**" % args.note, ""]
    L += ["Every `leak-*` warning of run (b) in bench/RESULTS.md (same date, same sampled TUs), one row per distinct "
          "(check, location, message). The verdict is for a person to fill: `right` (a real leak or a real risk) "
          "or `wrong` (a false positive: say why and the fix to the check, then add the reduced case to the lit "
          "suite). Rerunning bench/run.sh keeps verdicts already filled in for rows that still appear.", ""]
    counts = {}
    for (chk, _, _), _tu in seen.items():
        counts[chk] = counts.get(chk, 0) + 1
    verdicts = {}
    rows = []
    for i, key in enumerate(sorted(seen, key=lambda k: (k[0], k[1])), 1):
        v, why = old.get(key, ("unjudged", ""))
        verdicts.setdefault(key[0], {}).setdefault(v, 0)
        verdicts[key[0]][v] += 1
        rows.append("| %d | %s | `%s` | %s | %s | %s |" % (i, key[0], key[1], key[2], v, why))
    L.append("## Summary")
    L.append("")
    L.append("| check | findings | right | wrong | unjudged | precision (right / judged) |")
    L.append("|---|---|---|---|---|---|")
    for chk in sorted(counts):
        v = verdicts.get(chk, {})
        judged = v.get("right", 0) + v.get("wrong", 0)
        L.append("| %s | %d | %d | %d | %d | %s |" % (chk, counts[chk], v.get("right", 0), v.get("wrong", 0),
                                                      v.get("unjudged", 0),
                                                      "%.0f%%" % (100.0 * v.get("right", 0) / judged)
                                                      if judged else "n/a"))
    if not counts:
        L.append("| (none: no leak-* warning on the measured TUs) | 0 | | | | |")
    L.append("")
    L.append("## Findings")
    L.append("")
    L.append("| # | check | file:line | message | verdict | why (and fix to the check, if wrong) |")
    L.append("|---|---|---|---|---|---|")
    L += rows
    if kept:
        L += ["", kept.rstrip()]
    with open(path, "w") as fh:
        fh.write("\n".join(L).rstrip() + "\n")
    log("wrote bench/FINDINGS.md (%d findings)" % len(rows))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["corpus", "scale", "report", "all"])
    ap.add_argument("--clang-tidy", default="/usr/lib/llvm-22/bin/clang-tidy")
    ap.add_argument("--plugin", default=os.path.join(ROOT, "build", "lib", "LeakTidy.so"))
    ap.add_argument("--cache", default=os.path.join(HERE, "cache"))
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--projects", nargs="*", default=None)
    ap.add_argument("--tus-per-project", type=int, default=8, help="0 = every TU")
    ap.add_argument("--seed", default="leak-tidy-bench-1")
    ap.add_argument("--repeat", type=int, default=2, help="runs of (a) and (b) per TU; the minimum is kept")
    ap.add_argument("--timeout", type=int, default=600, help="limit for one (a)/(b) run, seconds")
    ap.add_argument("--analyzer-timeout", type=int, default=300, help="limit for one (c) run, seconds")
    ap.add_argument("--budget", type=int, default=900,
                    help="stop starting TUs after this many seconds of the corpus step (0 = no limit)")
    ap.add_argument("--no-analyzer", action="store_true")
    ap.add_argument("--note", default=os.environ.get("BENCH_NOTE", ""))
    ap.add_argument("--command", default=os.environ.get("BENCH_COMMAND", ""))
    args = ap.parse_args()
    args.plugin = os.path.abspath(args.plugin)
    if args.step != "report" and not os.path.exists(args.plugin):
        raise SystemExit("plugin not found: %s (build it first)" % args.plugin)
    if args.step in ("corpus", "all"):
        corpus(args)
    if args.step in ("scale", "all"):
        scale(args)
    if args.step in ("report", "all"):
        report(args)


if __name__ == "__main__":
    main()
