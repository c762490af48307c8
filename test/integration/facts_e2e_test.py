"""Project facts end to end with the real plugin (issue 18), on the three-TU sample project with the installed
leak-tidy-run: the plugin writes one fresh per-TU file per TU where the driver looks for it (the contract's name, the
files it read with their sha256, leak-tidy's version), the merged store passes the store checks, the findings are
those of --no-facts on this project (no fact here changes a verdict), an unchanged second run starts no clang-tidy
and rewrites nothing, and a pre-commit run after a header edit refreshes the stale TUs (their findings not shown)."""
import hashlib, json, os, stat, subprocess, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, expect, sample_project, logging_wrapper
a, prefix, run_tool, proj, bdir = sample_project(__doc__)
sys.path.insert(0, os.path.join(a.src, "tools"))
from leaktidy import facts

SRC = {n: os.path.realpath(os.path.join(proj, "src", n + ".cpp")) for n in ("server", "worker", "clean")}
SPAWN = os.path.realpath(os.path.join(proj, "include", "spawn.h"))
store = os.path.join(bdir, "leak-facts")
log, wrapper = logging_wrapper(a.tmp, os.path.join(prefix, "bin", "leak-tidy"))
version = subprocess.run([os.path.join(prefix, "bin", "leak-tidy"), "--version"], capture_output=True,
                         text=True).stdout.split()[2]


def lint(*args):
    open(log, "w").close()
    r = sh([run_tool, "-p", bdir, "--root", proj, "--leak-tidy", wrapper, "--no-progress", "-j", "2", "--verbose"]
           + list(args), cwd=proj, check=False)
    return r, sorted(os.path.basename(l) for l in open(log).read().split())


def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()


r0, _ = lint("--no-facts", "--no-cache")
expect(not os.path.exists(store), "--no-facts makes no store")
r, linted = lint()
expect(linted == ["clean.cpp", "server.cpp", "worker.cpp"], "phase 1 runs each TU once (%s)" % linted, r.stderr)
expect(r.returncode == r0.returncode == 1 and r.stdout == r0.stdout, "the same findings as --no-facts",
       r0.stdout + "\n---\n" + r.stdout + r.stderr)
for n, main in SRC.items():
    parsed = facts.read_tu(facts.tu_file(store, main))
    expect(parsed is not None, "the plugin wrote %s's per-TU file at the contract's name" % n,
           str(os.listdir(os.path.join(store, "tu"))))
    head = parsed[0]
    expect(os.path.realpath(head["tu"]) == main and head.get("version") == version,
           "%s: its main file and leak-tidy's version %s" % (n, version), json.dumps(head))
    recorded = {os.path.realpath(f["path"]): f["sha256"] for f in head["files"]}
    expect(recorded.get(main) == sha(main), "%s: the main file with its sha256" % n, json.dumps(head))
    expect((SPAWN in recorded) == (n != "clean") and all(not p.startswith("/usr/") for p in recorded),
           "%s: the project header it includes, no system header" % n, json.dumps(head))
facts.check_index(os.path.join(store, "facts.idx"))

tu_dir = os.path.join(store, "tu")
before = {n: os.stat(os.path.join(tu_dir, n)).st_mtime_ns for n in os.listdir(tu_dir)}
idx_before = os.stat(os.path.join(store, "facts.idx")).st_mtime_ns
r, linted = lint()
expect(linted == [] and r.stdout == r0.stdout, "an unchanged second run starts no clang-tidy (%s)" % linted, r.stderr)
expect({n: os.stat(os.path.join(tu_dir, n)).st_mtime_ns for n in os.listdir(tu_dir)} == before
       and os.stat(os.path.join(store, "facts.idx")).st_mtime_ns == idx_before,
       "no per-TU file and not the store rewritten")
expect("0 clang-tidy runs exported" in r.stderr, "--verbose: nothing exported", r.stderr)

# A header edit makes server's and worker's facts stale; a pre-commit run on clean.cpp refreshes them.
open(SPAWN, "a").write("// edited\n")
r, linted = lint(SRC["clean"])
expect(linted == ["clean.cpp", "server.cpp", "worker.cpp"] or linted == ["server.cpp", "worker.cpp"],
       "the stale TUs are refreshed (%s)" % linted, r.stderr)
expect(r.returncode == 0 and r.stdout == "" and "2 refreshed" in r.stderr,
       "the refreshed TUs' findings are not shown (exit %d)" % r.returncode, r.stdout + r.stderr)
for n in ("server", "worker"):
    head = facts.read_tu(facts.tu_file(store, SRC[n]))[0]
    expect({os.path.realpath(f["path"]): f["sha256"] for f in head["files"]}.get(SPAWN) == sha(SPAWN),
           "%s's per-TU file is fresh again" % n)

# ---- a verdict decided by another TU (leak-unbounded-global-cache's container facts) --------------------------
# grow.cpp grows gHits with run-time keys; trim.cpp clears it. Checked alone, grow.cpp is silent today (another TU
# may trim it); with the store: silent when trim.cpp trims, reported with a note into trim.cpp when it does not.
import shutil
from common import cxx_compiler
xp = os.path.join(a.tmp, "xtu")
shutil.rmtree(xp, ignore_errors=True)
shutil.copytree(os.path.join(a.src, "test", "integration", "Inputs", "facts-e2e"), xp)
xp = os.path.realpath(xp)
xb = os.path.join(xp, "build")
os.makedirs(xb)
GROW, TRIM = (os.path.join(xp, "src", n) for n in ("grow.cpp", "trim.cpp"))
json.dump([{"directory": xb, "file": f, "arguments": [cxx_compiler(), "-std=c++17", "-I" + os.path.join(xp, "include"),
                                                      "-c", f]} for f in (GROW, TRIM)],
          open(os.path.join(xb, "compile_commands.json"), "w"))


def xlint(*args):
    open(log, "w").close()
    r = sh([run_tool, "-p", xb, "--root", xp, "--leak-tidy", wrapper, "-j", "2", "--verbose"] + list(args),
           cwd=xp, check=False)
    return r, [os.path.basename(l) for l in open(log).read().split()]


GROW_WARN = "src/grow.cpp:3:28: warning: global std::map 'gHits' only grows"
r, linted = xlint("--no-facts")
expect(r.returncode == 0 and "warning:" not in r.stdout, "without facts grow.cpp is silent (today)", r.stdout)
r, linted = xlint()
expect(sorted(linted[:2]) == ["grow.cpp", "trim.cpp"] and linted[2:] == ["grow.cpp"],
       "phase 1 runs both TUs, phase 2 re-checks grow.cpp (got %s)" % linted, r.stderr)
expect(r.returncode == 0 and "warning:" not in r.stdout and "[re-check 1/1] src/grow.cpp" in r.stderr,
       "trim.cpp trims gHits: grow.cpp silent after its re-check", r.stdout + r.stderr)
r, linted = xlint()
expect(linted == [] and r.returncode == 0, "unchanged: nothing runs (got %s)" % linted, r.stderr)
open(TRIM, "w").write('#include "cache.h"\n\nint countAll() { return (int)gHits.size(); }\n')
r, linted = xlint()
expect(linted == ["trim.cpp", "grow.cpp"], "trim.cpp re-exported, grow.cpp re-checked (got %s)" % linted, r.stderr)
expect(r.returncode == 1 and (xp + "/" + GROW_WARN) in r.stdout and (TRIM + ":3:1: note:") in r.stdout,
       "nothing trims gHits now: reported, with a note into trim.cpp", r.stdout + r.stderr)
# Pre-commit on grow.cpp after trim.cpp trims again: the stale trim.cpp is refreshed, not trusted.
open(TRIM, "w").write('#include "cache.h"\n\nvoid evictOne() { gHits.erase(gHits.begin()); }\n')
r, linted = xlint(GROW)
expect("trim.cpp" in linted and linted[-1] == "grow.cpp" and r.returncode == 0 and "warning:" not in r.stdout,
       "pre-commit: trim.cpp refreshed, grow.cpp silent again (got %s)" % linted, r.stdout + r.stderr)
print("facts e2e test ok")
