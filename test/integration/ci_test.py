"""leak-tidy-run at CI scale (issue 20), on the three-TU sample project, with
the installed leak-tidy-run: the result cache, --diff against a real git
repository, --shard with --merge-sarif and a baseline after the merge, and
GitLab Code Quality output. clang-tidy is started through a wrapper that logs
the TU it lints, so what is (re-)linted is observed, not taken from the
driver's own summary."""
import glob, json, os, shutil, stat, sys, threading
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, expect, sample_project, logging_wrapper
from validate_sarif import validate

a, prefix, run_tool, proj, bdir = sample_project(__doc__)
SERVER, WORKER, CLEAN = (os.path.realpath(os.path.join(proj, "src", n)) for n in ("server.cpp", "worker.cpp", "clean.cpp"))
SPAWN = os.path.join(proj, "include", "spawn.h")
ALL = {SERVER, WORKER, CLEAN}

log, wrapper = logging_wrapper(a.tmp, os.path.join(prefix, "bin", "leak-tidy"))


def lint(*args, cwd=proj, env=None):
    """(process, set of TUs clang-tidy was started on)."""
    open(log, "w").close()
    r = sh([run_tool, "-p", bdir, "--root", proj, "--leak-tidy", wrapper, "--no-progress", "-j", "2"] + list(args),
           cwd=cwd, env=env, check=False)
    return r, {os.path.realpath(l) for l in open(log).read().split()}


def edit(path, fn):
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(fn(text))
    return text


# ---- the result cache -------------------------------------------------------
r, linted = lint()
expect(r.returncode == 1 and linted == ALL, "cold run lints the 3 TUs, exit 1", r.stderr)
cold_out = r.stdout
expect(os.path.isdir(os.path.join(bdir, "leak-tidy-cache")), "the cache is in the build dir by default")
r, linted = lint()
expect(r.returncode == 1 and linted == set() and r.stdout == cold_out,
       "an unchanged re-run lints nothing and prints the same findings (linted: %s)" % sorted(linted),
       r.stdout + r.stderr)
expect("0 linted, 3 from the cache" in r.stderr, "the summary counts the cache hits", r.stderr)
os.utime(SPAWN)
r, linted = lint()
expect(linted == set(), "a touched (unchanged) header re-lints nothing", str(linted))
orig_spawn = edit(SPAWN, lambda t: t + "// an edit of the header\n")
r, linted = lint()
expect(linted == {SERVER, WORKER}, "a header edit re-lints exactly its 2 includers (got %s)" % sorted(linted))
expect(r.stdout == cold_out, "same findings after a comment edit", r.stdout)
edit(SPAWN, lambda t: orig_spawn)
r, linted = lint()
expect(linted == set(), "the restored header's results come from the cache", str(linted))
# The configuration is part of the key: a .clang-tidy, --checks, --extra-arg.
with open(os.path.join(proj, ".clang-tidy"), "w") as f:
    f.write("Checks: '-*,leak-*'\n")
r, linted = lint()
expect(linted == ALL, "a new .clang-tidy re-lints every TU", str(linted))
os.remove(os.path.join(proj, ".clang-tidy"))
r, linted = lint("--checks=-*,leak-unjoined-thread")
expect(linted == ALL, "other --checks re-lint every TU", str(linted))
r, linted = lint("--extra-arg=-DLEAK_SOMETHING")
expect(linted == ALL, "another --extra-arg re-lints every TU", str(linted))
# A rebuilt plugin (same path, other bytes) invalidates every result.
plugin_copy = os.path.join(a.tmp, "LeakTidy-copy.so")
shutil.copy(glob.glob(os.path.join(prefix, "lib", "leak-tidy", "LeakTidy.so"))[0], plugin_copy)
env = {"LEAK_TIDY_PLUGIN": plugin_copy}
lint(env=env)
r, linted = lint(env=env)
expect(linted == set(), "the plugin copy's results are cached", str(linted))
with open(plugin_copy, "ab") as f:
    f.write(b"\0rebuilt")
r, linted = lint(env=env)
expect(linted == ALL and r.returncode == 1, "a rebuilt plugin re-lints every TU", r.stderr)
# --no-cache: lints all, writes nothing.
before = sorted(glob.glob(os.path.join(bdir, "leak-tidy-cache", "**"), recursive=True))
r, linted = lint("--no-cache")
expect(linted == ALL and r.stdout == cold_out, "--no-cache lints every TU", r.stderr)
expect(sorted(glob.glob(os.path.join(bdir, "leak-tidy-cache", "**"), recursive=True)) == before,
       "--no-cache writes nothing")
# A damaged entry is a miss, not an error.
for p in glob.glob(os.path.join(bdir, "leak-tidy-cache", "*", "result", "*", "*.json")):
    open(p, "w").write("{\"trunc")
r, linted = lint()
expect(r.stdout == cold_out and linted == ALL, "damaged entries are re-linted", r.stdout + r.stderr)
# A TU with a missing header is not cached: once the header exists, its leak is found.
later = os.path.join(proj, "later.cpp")
open(later, "w").write('#include "later.h"\nint main() { startLater(); }\n')
r, linted = lint(later)
expect(linted == {os.path.realpath(later)} and "later.h" in r.stdout + r.stderr, "the missing header is reported",
       r.stdout + r.stderr)
open(os.path.join(proj, "later.h"), "w").write("#include <thread>\ninline void startLater() {\n"
                                                 "  std::thread t([] {});\n}\n")
r, linted = lint(later)
expect(linted == {os.path.realpath(later)} and "later.h:3:" in r.stdout and r.returncode == 1,
       "the header added later is linted, not an old result", r.stdout + r.stderr)
r, linted = lint(later)
expect(linted == set() and "later.h:3:" in r.stdout, "and then cached (a file outside the database)", r.stderr)
os.remove(later)
os.remove(os.path.join(proj, "later.h"))
# A cache that cannot be written costs speed only, and says so.
blocker = os.path.join(a.tmp, "not-a-directory")
open(blocker, "w").close()
r, linted = lint("--cache-dir", os.path.join(blocker, "cache"))
expect(r.returncode == 1 and r.stdout == cold_out and linted == ALL and "cache not written" in r.stderr,
       "an unwritable cache directory: findings as usual and one notice", r.stderr)
# Concurrent runs sharing one --cache-dir: both right, the cache whole afterwards.
shared = os.path.join(a.tmp, "shared-cache")
shutil.rmtree(shared, ignore_errors=True)
outs = []
def worker_run():
    outs.append(sh([run_tool, "-p", bdir, "--root", proj, "--leak-tidy", wrapper, "--no-progress", "-j", "1",
                    "--cache-dir", shared],
                   cwd=proj, check=False))
threads = [threading.Thread(target=worker_run) for _ in range(3)]
[t.start() for t in threads]
[t.join() for t in threads]
expect(all(o.returncode == 1 and o.stdout == cold_out for o in outs), "3 concurrent runs give the same findings",
       "\n".join(o.stdout + o.stderr for o in outs))
expect(not glob.glob(os.path.join(shared, "**", ".tmp-*"), recursive=True), "no temporary files are left")
r, linted = lint("--cache-dir", shared)
expect(linted == set() and r.stdout == cold_out, "the shared cache serves a 4th run", r.stderr)

# ---- --diff against a real git repository ----------------------------------
genv = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid", "HOME": a.tmp}
with open(os.path.join(proj, ".gitignore"), "w") as f:
    f.write("build/\n")
sh(["git", "init", "-q", proj], env=genv)
sh(["git", "add", "-A"], cwd=proj, env=genv)
sh(["git", "commit", "-qm", "base"], cwd=proj, env=genv)
r, linted = lint("--diff", "HEAD", "--no-cache")
expect(r.returncode == 0 and linted == set() and r.stdout == "", "no change: nothing linted, exit 0", r.stderr)
# A new leak appended to server.cpp: only server.cpp is linted, only the new finding shown.
edit(SERVER, lambda t: t + "\nvoid added() {\n  std::thread u([] {});\n}\n")
r, linted = lint("--diff", "HEAD", "--no-cache")
warnings = [l for l in r.stdout.splitlines() if ": warning:" in l]
expect(linted == {SERVER}, "only the changed TU is linted (got %s)" % sorted(linted))
expect(r.returncode == 1 and len(warnings) == 1 and "'u'" in warnings[0] and "server.cpp:12:" in warnings[0],
       "only the finding on the added lines is reported", r.stdout + r.stderr)
sh(["git", "checkout", "-q", "--", "src/server.cpp"], cwd=proj)
# A changed header: its includers are linted; its finding is on a changed line.
edit(SPAWN, lambda t: t.replace("std::thread t([n] { (void)n; });", "std::thread t([n] { (void)(n + 1); });"))
r, linted = lint("--diff", "HEAD")
expect(linted == {SERVER, WORKER}, "a header change lints its includers (got %s)" % sorted(linted), r.stderr)
w = [l for l in r.stdout.splitlines() if ": warning:" in l]
expect(r.returncode == 1 and len(w) == 1 and "spawn.h:5:" in w[0], "the header's finding is reported", r.stdout)
sh(["git", "checkout", "-q", "--", "include/spawn.h"], cwd=proj)
# A change on a note's line (the early return) reports the finding whose path goes through it.
edit(SERVER, lambda t: t.replace("    return;", "    return; // early"))
r, linted = lint("--diff", "HEAD")
w = [l for l in r.stdout.splitlines() if ": warning:" in l]
expect(r.returncode == 1 and len(w) == 1 and "server.cpp:5:" in w[0],
       "a finding whose note lies on a changed line is reported", r.stdout + r.stderr)
# Committed: --diff HEAD~1 sees the same change; --diff HEAD sees none.
sh(["git", "commit", "-qam", "early"], cwd=proj, env=genv)
r, _ = lint("--diff", "HEAD~1")
expect(r.returncode == 1 and "server.cpp:5:" in r.stdout, "--diff HEAD~1 covers the commit", r.stdout + r.stderr)
r, _ = lint("--diff", "HEAD")
expect(r.returncode == 0 and r.stdout == "", "--diff HEAD after the commit: nothing", r.stdout)
# A REF that moved on since HEAD left it: its new commits are not this change
# (the diff is against the fork point, as a pull request's).
sh(["git", "checkout", "-qb", "other", "HEAD~1"], cwd=proj, env=genv)
edit(WORKER, lambda t: t + "\nvoid onOther() {\n  std::thread o([] {});\n}\n")
sh(["git", "commit", "-qam", "other"], cwd=proj, env=genv)
sh(["git", "checkout", "-q", "-"], cwd=proj, env=genv)
r, linted = lint("--diff", "other", "--no-cache")
expect(linted == {SERVER} and "server.cpp:5:" in r.stdout and r.returncode == 1,
       "--diff against a moved-on ref covers only this branch's change (linted %s)" % sorted(linted),
       r.stdout + r.stderr)
r, _ = lint("--diff", "no-such-ref")
expect(r.returncode == 2 and "no-such-ref" in r.stderr, "a bad ref is a usage error (exit 2)", r.stderr)

# ---- --shard and --merge-sarif ---------------------------------------------
full = os.path.join(a.tmp, "full.sarif")
lint("--sarif", full)
def results(path):
    doc = json.load(open(path))
    return sorted((x["ruleId"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                   x["locations"][0]["physicalLocation"]["region"]["startLine"],
                   x["partialFingerprints"]["leakTidyFingerprint/v1"]) for x in doc["runs"][0]["results"])
for n in (2, 3):
    parts, sarifs = [], []
    for k in range(1, n + 1):
        s = os.path.join(a.tmp, "shard-%d-of-%d.sarif" % (k, n))
        r, linted = lint("--shard", "%d/%d" % (k, n), "--sarif", s, "--no-cache")
        expect(r.returncode in (0, 1), "shard %d/%d runs" % (k, n), r.stderr)
        r2, again = lint("--shard", "%d/%d" % (k, n), "--no-cache")
        expect(again == linted, "shard %d/%d is stable" % (k, n))
        parts.append(linted)
        sarifs.append(s)
    expect(set().union(*parts) == ALL and sum(len(p) for p in parts) == 3,
           "%d shards are disjoint and cover every TU: %s" % (n, parts))
    merged = os.path.join(a.tmp, "merged-%d.sarif" % n)
    r = sh([run_tool, "--merge-sarif"] + sarifs + ["-o", merged], cwd=a.tmp, check=False)
    expect(r.returncode == 1, "the merge exits 1 on findings", r.stderr)
    errs, _ = validate(merged)
    expect(not errs, "the merged SARIF is valid: " + "; ".join(errs))
    expect(results(merged) == results(full), "the %d merged shards equal the unsharded run" % n,
           json.dumps([results(merged), results(full)], indent=1))
r = sh([run_tool, "-p", bdir, "--shard", "4/3"], cwd=proj, check=False)
expect(r.returncode == 2 and "--shard" in r.stderr, "--shard 4/3 is a usage error", r.stderr)
# The baseline is applied after the merge: record, add a leak, only it is new.
base = os.path.join(a.tmp, "baseline.json")
lint("--write-baseline", base)
r = sh([run_tool, "--merge-sarif"] + sarifs + ["-o", merged, "--baseline", base], cwd=a.tmp, check=False)
expect(r.returncode == 0 and r.stdout == "" and results(merged) == [], "nothing new after the merge", r.stderr)
edit(WORKER, lambda t: t + "\nvoid leakAgain() {\n  std::thread w([] {});\n}\n")
sarifs = []
for k in (1, 2):
    sarifs.append(os.path.join(a.tmp, "new-%d.sarif" % k))
    lint("--shard", "%d/2" % k, "--sarif", sarifs[-1])
r = sh([run_tool, "--merge-sarif"] + sarifs + ["-o", merged, "--baseline", base], cwd=a.tmp, check=False)
w = [l for l in r.stdout.splitlines() if ": warning:" in l]
expect(r.returncode == 1 and len(w) == 1 and "'w'" in w[0] and len(results(merged)) == 1,
       "only the new finding survives the merged baseline", r.stdout + r.stderr)
r = sh([run_tool, "--merge-sarif", os.path.join(a.tmp, "missing.sarif")], cwd=a.tmp, check=False)
expect(r.returncode == 2 and "missing.sarif" in r.stderr, "a missing SARIF file is a usage error", r.stderr)

# ---- GitLab Code Quality -----------------------------------------------------
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
def code_quality(path):
    r, _ = lint("--code-quality", path)
    issues = json.load(open(path))
    expect(isinstance(issues, list) and issues, "Code Quality is a non-empty JSON array", json.dumps(issues))
    for i in issues:
        # The fields GitLab documents as required, with their types.
        expect(isinstance(i.get("description"), str) and i["description"], "description", json.dumps(i))
        expect(isinstance(i.get("check_name"), str) and i["check_name"].startswith("leak-"), "check_name")
        expect(isinstance(i.get("fingerprint"), str) and i["fingerprint"], "fingerprint")
        expect(i.get("severity") in SEVERITIES, "severity is one of GitLab's", json.dumps(i))
        loc = i.get("location", {})
        p = loc.get("path")
        expect(isinstance(p, str) and not os.path.isabs(p) and not p.startswith("./")
               and os.path.isfile(os.path.join(proj, p)), "location.path is relative to the root", json.dumps(i))
        b = loc.get("lines", {}).get("begin")
        expect(isinstance(b, int) and not isinstance(b, bool) and b >= 1, "location.lines.begin", json.dumps(i))
        expect("%s:%d:" % (os.path.join(proj, p), b) in r.stdout and "[%s]" % i["check_name"] in r.stdout,
               "the issue matches a printed finding", json.dumps(i) + r.stdout)
    fps = [i["fingerprint"] for i in issues]
    expect(len(set(fps)) == len(fps), "fingerprints are unique")
    return {i["fingerprint"]: (i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues}
sh(["git", "checkout", "-q", "--", "src/worker.cpp"], cwd=proj)
cq1 = code_quality(os.path.join(a.tmp, "cq1.json"))
expect(len(cq1) == 2, "2 Code Quality issues", str(cq1))
cq2 = code_quality(os.path.join(a.tmp, "cq2.json"))
expect(cq1 == cq2, "fingerprints are stable across runs")
edit(SERVER, lambda t: "// two lines\n// above\n" + t)
cq3 = code_quality(os.path.join(a.tmp, "cq3.json"))
expect(set(cq3) == set(cq1), "fingerprints survive an edit above the finding", str([cq1, cq3]))
moved = [fp for fp in cq1 if cq1[fp][0] == "src/server.cpp"]
expect(moved and all(cq3[fp][1] == cq1[fp][1] + 2 for fp in moved), "while the line moves", str([cq1, cq3]))
print("ci test ok")
