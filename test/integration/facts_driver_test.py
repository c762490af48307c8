"""leak-tidy-run's project facts phases (issue 18), tested with a stand-in for leak-tidy that follows the facts
contract (Inputs/facts/fake_leak_tidy.py) on a three-TU project with a generated compile_commands.json: which TUs
are checked in which phase is read from the stand-in's own log, not from the driver's summary.

consumer.cpp asks about a fact producer.cpp exports: checked alone it says "nobody provides registry.trim"."""
import argparse, json, os, shutil, subprocess, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, expect, fresh_dir, cxx_compiler

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("--src"); ap.add_argument("--build"); ap.add_argument("--tmp")
a = ap.parse_args()
a.src, a.build, a.tmp = (os.path.abspath(p) for p in (a.src, a.build, a.tmp))
run_tool = os.path.join(a.build, "bin", "leak-tidy-run")
inputs = os.path.join(a.src, "test", "integration", "Inputs", "facts")
fresh_dir(a.tmp)
proj = os.path.join(a.tmp, "proj")
shutil.copytree(os.path.join(inputs, "project"), proj)
proj = os.path.realpath(proj)
bdir = os.path.join(proj, "build")
os.makedirs(bdir)
SRC = {n: os.path.join(proj, "src", n + ".cpp") for n in ("producer", "consumer", "other")}
cxx = cxx_compiler()
json.dump([{"directory": bdir, "file": SRC[n], "arguments": [cxx, "-std=c++17", "-I" + os.path.join(proj, "include"),
                                                              "-c", SRC[n], "-o", n + ".o"]} for n in sorted(SRC)],
          open(os.path.join(bdir, "compile_commands.json"), "w"), indent=1)
fake = os.path.join(inputs, "fake_leak_tidy.py")
log = os.path.join(a.tmp, "checked.log")
store = os.path.join(bdir, "leak-facts")


def lint(*args, files=()):
    """(process, [(main file name, export, store)] the stand-in was started on, in order)."""
    open(log, "w").close()
    r = sh([sys.executable, run_tool, "-p", bdir, "--root", proj, "--leak-tidy", fake, "-j", "2", "--verbose"]
           + list(args) + [SRC[f] for f in files], cwd=proj, env={"FAKE_LEAK_TIDY_LOG": log}, check=False)
    runs = []
    for line in open(log).read().splitlines():
        path, export, has_store = line.split()
        runs.append((os.path.basename(path)[:-4], export == "export=1", has_store == "store=1"))
    return r, runs


def warnings(out):
    return sorted(l.split(proj + "/", 1)[1] for l in out.splitlines() if ": warning:" in l)


def mtimes():
    tu = os.path.join(store, "tu")
    return {n: os.stat(os.path.join(tu, n)).st_mtime_ns for n in os.listdir(tu)}, os.stat(
        os.path.join(store, "facts.idx")).st_mtime_ns


def edit(name, old, new):
    path = SRC[name]
    text = open(path).read()
    expect(old in text, "test setup: %r in %s" % (old, path))
    open(path, "w").write(text.replace(old, new))


PRODUCER_ASK = "src/producer.cpp:4:4: warning: nobody provides nobody.provides.this [leak-fake-ask]"
CONSUMER_ASK = "src/consumer.cpp:2:4: warning: nobody provides registry.trim [leak-fake-ask]"

# 1. Cold: phase 1 checks and exports every TU (against an empty store: a closed world, as in phase 2); the merge
# brings producer's fact; only consumer's answer changed, so only consumer is checked again, and its phase-1
# finding is replaced.
r, runs = lint()
out = r.stdout + r.stderr
expect(sorted(runs[:3]) == [("consumer", True, True), ("other", True, True), ("producer", True, True)],
       "phase 1 checks every TU once, exporting, with a store to read (got %s)" % runs, out)
expect(runs[3:] == [("consumer", True, True)], "phase 2 re-checks consumer only (got %s)" % runs[3:], out)
expect(warnings(r.stdout) == [PRODUCER_ASK], "consumer's phase-1 finding is replaced by its silent re-check", out)
expect(r.returncode == 1, "exit 1 on findings (got %d)" % r.returncode, out)
expect("re-check 1 TUs" in r.stderr and "[re-check 1/1] src/consumer.cpp" in r.stderr and "[3/3]" in r.stderr,
       "one progress display: phase 1, then the re-check", r.stderr)
expect("project facts: 1 re-checked" in r.stderr, "the summary counts the re-check", r.stderr)
idx = open(os.path.join(store, "facts.idx")).read().splitlines()
expect(idx[0] == "#leak-tidy-facts 1" and [l.split("\t")[0] for l in idx[1:]] == ["other.thing", "registry.trim"],
       "the store holds the two facts, sorted", "\n".join(idx))
cold_out = r.stdout

# 2. Unchanged tree: nothing is checked, nothing exported, no per-TU file or store rewritten.
before = mtimes()
r, runs = lint()
expect(runs == [], "an unchanged second run starts no clang-tidy (got %s)" % runs, r.stderr)
expect(r.stdout == cold_out and r.returncode == 1, "same findings from the cache", r.stdout + r.stderr)
expect(mtimes() == before, "no per-TU file and not facts.idx rewritten")
expect("0 clang-tidy runs exported, 0 per-TU files restored" in r.stderr and "unchanged)" in r.stderr,
       "--verbose counts no export", r.stderr)

# 3. producer stops providing the fact: producer is checked again (its file changed); consumer's result comes
# from the cache, but its answer changed, so phase 2 checks it again and its finding appears.
edit("producer", "// FACT registry.trim ok", "// no longer trimmed")
r, runs = lint()
out = r.stdout + r.stderr
expect(runs == [("producer", True, True), ("consumer", True, True)],
       "producer re-exported, consumer re-checked (got %s)" % runs, out)
expect(warnings(r.stdout) == [CONSUMER_ASK, PRODUCER_ASK], "consumer's finding appears", out)

# 4. Another TU's facts decide the verdict's text too: a "bad" fact is reported with a note in producer.cpp.
edit("producer", "// no longer trimmed", "// FACT registry.trim bad")
r, runs = lint()
expect([x[0] for x in runs] == ["producer", "consumer"], "producer, then consumer re-checked (got %s)" % runs)
expect(any(l.startswith(os.path.join(proj, "src/producer.cpp") + ":3:1: note: provided here")
           for l in r.stdout.splitlines()), "the note points into the other TU's file", r.stdout)

# 5. Pre-commit (files named): the store is stale (producer changed since); its facts are refreshed (producer
# re-exported, its findings not shown), not trusted, before consumer is checked.
edit("producer", "// FACT registry.trim bad", "// FACT registry.trim ok (again)")
r, runs = lint(files=["consumer"])
out = r.stdout + r.stderr
expect(("producer", True, True) in runs and runs[-1] == ("consumer", True, True),
       "the stale producer is refreshed and consumer checked against the new store (got %s)" % runs, out)
expect(warnings(r.stdout) == [] and r.returncode == 0,
       "consumer is silent again and producer's own finding is not shown (exit %d)" % r.returncode, out)
expect("1 refreshed" in r.stderr, "the summary says a TU was refreshed", r.stderr)
r, runs = lint(files=["consumer"])
expect(runs == [] and r.returncode == 0, "a second pre-commit run checks nothing (got %s)" % runs, r.stderr)
# A TU without a per-TU file (it exported nothing, or is new since the last whole-project run) is not run.
other_tu = [n for n in os.listdir(os.path.join(store, "tu")) if SRC["other"] in open(os.path.join(store, "tu", n)).read()]
os.remove(os.path.join(store, "tu", other_tu[0]))
r, runs = lint(files=["consumer"])
expect(runs == [], "no per-TU file: nothing to refresh (got %s)" % runs, r.stderr)

# 6. The per-TU files are gone (a cleaned store) but the cache holds them with its results: they are put back,
# nothing is checked (a cache hit is only used with the facts its run exported, fresh).
shutil.rmtree(os.path.join(store, "tu"))
r, runs = lint()
expect(runs == [] and "3 per-TU files restored from the cache" in r.stderr, "facts restored from the cache (%s)" % runs,
       r.stderr)
expect(len(os.listdir(os.path.join(store, "tu"))) == 3 and warnings(r.stdout) == [PRODUCER_ASK],
       "three per-TU files back, same findings", r.stdout + r.stderr)

# 7. --no-cache: the phases without the cache (every TU checked in phase 1; consumer's answer is the same as in the
# store phase 1 read, so nothing is checked again).
r, runs = lint("--no-cache")
expect(sorted(x[0] for x in runs) == ["consumer", "other", "producer"], "--no-cache checks every TU once (%s)" % runs)
expect(warnings(r.stdout) == [PRODUCER_ASK], "same verdicts", r.stdout)

# 8. --no-facts: today's single pass: no facts environment, no store read or written.
shutil.rmtree(store)
r, runs = lint("--no-facts", "--no-cache")
expect(sorted(runs) == [("consumer", False, False), ("other", False, False), ("producer", False, False)],
       "--no-facts: every TU once, without the facts environment (got %s)" % runs, r.stderr)
expect(not os.path.exists(store), "--no-facts creates no store")
expect(warnings(r.stdout) == [] and r.returncode == 0 and "project facts" not in r.stderr,
       "--no-facts: open world, no facts in the summary", r.stdout + r.stderr)

# 9. A pre-commit run without a store says so and checks without facts.
r, runs = lint(files=["consumer"])
expect(runs == [("consumer", False, False)] and "no project facts store in" in r.stderr,
       "no store: a note, and the file checked without facts (got %s)" % runs, r.stderr)

# 10. Broken stores: a clear error and exit 2 before anything runs, never "0 findings".
lint()
with open(os.path.join(store, "facts.idx"), "a") as f:
    f.write("a key without a record\n")
r, runs = lint()
expect(r.returncode == 2 and runs == [] and "facts.idx: line 4: not <key><TAB><json>" in r.stderr,
       "a corrupt facts.idx is exit 2 naming the line (exit %d)" % r.returncode, r.stderr)
blocker = os.path.join(a.tmp, "a-file")
open(blocker, "w").close()
r, runs = lint("--facts-dir", os.path.join(blocker, "facts"))
expect(r.returncode == 2 and runs == [] and "cannot write" in r.stderr and "--no-facts" in r.stderr,
       "an unwritable facts directory is exit 2 (exit %d)" % r.returncode, r.stderr)
r, runs = lint("--facts-dir", os.path.join(a.tmp, "elsewhere"))
expect(r.returncode == 1 and os.path.isfile(os.path.join(a.tmp, "elsewhere", "facts.idx")),
       "--facts-dir puts the store elsewhere", r.stderr)
print("facts driver test ok")
