"""Project facts through symbolic links, with the real plugin and the build tree's leak-tidy-run: the project is
reached through a link to its directory (TMP/work/proj -> TMP/real/proj), its sources through another link inside
it (src -> TMP/real/sources), and the compile database names every file through the links. The driver and the
plugin must agree on the TU's name (the real path of its main file): one per-TU file per TU, named after the real
path, found again by the driver (phase 2 re-checks grow.cpp after trim.cpp's facts arrive; an unchanged second run
starts no clang-tidy and rewrites nothing); an edit made through the links re-exports the edited TU and re-checks
the one whose answer changed. A plugin keying the TU by the path it was given would write per-TU files the driver
never reads (no phase 2, everything re-run the second time)."""
import argparse, hashlib, json, os, shutil, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, expect, fresh_dir, logging_wrapper, cxx_compiler

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("--src"); ap.add_argument("--build"); ap.add_argument("--tmp")
a = ap.parse_args()
sys.path.insert(0, os.path.join(a.src, "tools"))
from leaktidy import facts

tmp = os.path.realpath(fresh_dir(a.tmp))
real = os.path.join(tmp, "real", "proj")
sources = os.path.join(tmp, "real", "sources")
inputs = os.path.join(a.src, "test", "integration", "Inputs", "facts-e2e")
shutil.copytree(os.path.join(inputs, "include"), os.path.join(real, "include"))
shutil.copytree(os.path.join(inputs, "src"), sources)
os.symlink(sources, os.path.join(real, "src"))
os.makedirs(os.path.join(tmp, "work"))
proj = os.path.join(tmp, "work", "proj")
os.symlink(real, proj)
bdir = os.path.join(proj, "build")  # reached through the link too
os.makedirs(bdir)
GROW, TRIM = (os.path.join(proj, "src", n) for n in ("grow.cpp", "trim.cpp"))
REAL = {os.path.basename(p): os.path.join(sources, os.path.basename(p)) for p in (GROW, TRIM)}
expect(os.path.realpath(GROW) == REAL["grow.cpp"] and GROW != REAL["grow.cpp"], "the database names a link")
json.dump([{"directory": bdir, "file": f, "arguments": [cxx_compiler(), "-std=c++17", "-I" + os.path.join(proj, "include"),
                                                       "-c", f]} for f in (GROW, TRIM)],
          open(os.path.join(bdir, "compile_commands.json"), "w"))
store = os.path.join(bdir, "leak-facts")
tu_dir = os.path.join(store, "tu")
log, wrapper = logging_wrapper(tmp, os.path.join(a.build, "bin", "leak-tidy"))
run_tool = os.path.join(a.build, "bin", "leak-tidy-run")


def lint(*args):
    open(log, "w").close()
    r = sh([run_tool, "-p", bdir, "--root", proj, "--leak-tidy", wrapper, "-j", "2", "--verbose", "--no-progress"]
           + list(args), cwd=proj, check=False)
    return r, [os.path.basename(l) for l in open(log).read().split()]


def tu_files():
    return {n: os.stat(os.path.join(tu_dir, n)).st_mtime_ns for n in sorted(os.listdir(tu_dir))}


r, linted = lint()
expect(sorted(linted[:2]) == ["grow.cpp", "trim.cpp"] and linted[2:] == ["grow.cpp"],
       "phase 1 runs both TUs, phase 2 re-checks grow.cpp (got %s)" % linted, r.stdout + r.stderr)
expect(r.returncode == 0 and "warning:" not in r.stdout, "trim.cpp trims gHits: silent", r.stdout + r.stderr)
names = sorted(hashlib.sha1(p.encode()).hexdigest() + ".jsonl" for p in REAL.values())
expect(sorted(tu_files()) == names, "one per-TU file per TU, named after the real path (%s)" % sorted(tu_files()))
for n, p in REAL.items():
    head = facts.read_tu(os.path.join(tu_dir, hashlib.sha1(p.encode()).hexdigest() + ".jsonl"))[0]
    expect(head["tu"] == p, "%s: the tu line names the real path" % n, json.dumps(head))
idx = open(os.path.join(store, "facts.idx")).read()
tus = {json.loads(l.split("\t", 1)[1])["tu"] for l in idx.splitlines()[1:]}
expect(tus == {REAL["grow.cpp"], REAL["trim.cpp"]}, "the store's facts name TUs by their real paths", idx)

before, idx_before = tu_files(), os.stat(os.path.join(store, "facts.idx")).st_mtime_ns
r, linted = lint()
expect(linted == [] and r.returncode == 0, "unchanged: no clang-tidy starts (got %s)" % linted, r.stderr)
expect(tu_files() == before and os.stat(os.path.join(store, "facts.idx")).st_mtime_ns == idx_before
       and "0 clang-tidy runs exported" in r.stderr, "unchanged: nothing re-exported, no file rewritten", r.stderr)
r, linted = lint("--no-cache")
expect(sorted(linted) == ["grow.cpp", "trim.cpp"], "--no-cache: phase 1 only, no re-check (got %s)" % linted,
       r.stderr)
expect(sorted(tu_files()) == names, "still one per-TU file per TU (%s)" % sorted(tu_files()))

# An edit through the links: trim.cpp no longer trims.
open(TRIM, "w").write('#include "cache.h"\n\nint countAll() { return (int)gHits.size(); }\n')
r, linted = lint()
expect(linted == ["trim.cpp", "grow.cpp"], "trim.cpp re-exported, grow.cpp re-checked (got %s)" % linted, r.stderr)
# (clang-tidy names the files by their real paths)
expect(r.returncode == 1 and "grow.cpp:3:28: warning: global std::map 'gHits' only grows" in r.stdout
       and "trim.cpp:3:1: note:" in r.stdout, "nothing trims gHits now: reported, with a note into trim.cpp",
       r.stdout + r.stderr)
# Pre-commit through the links, after trim.cpp trims again: the stale trim.cpp is refreshed, grow.cpp silent.
open(TRIM, "w").write('#include "cache.h"\n\nvoid evictOne() { gHits.erase(gHits.begin()); }\n')
r, linted = lint(GROW)
expect("trim.cpp" in linted and linted[-1] == "grow.cpp" and r.returncode == 0 and "warning:" not in r.stdout,
       "pre-commit: trim.cpp refreshed, grow.cpp silent again (got %s)" % linted, r.stdout + r.stderr)
expect(sorted(tu_files()) == names, "no per-TU file under another name (%s)" % sorted(tu_files()))
print("facts symlink test ok")
