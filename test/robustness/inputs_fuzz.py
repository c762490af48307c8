"""Seeded fuzz of leak-tidy-run's inputs (issue 19): mutants of a valid
compile_commands.json and of a valid .clang-tidy. For every mutant:

  - no Python traceback, no hang (a hard timeout per run), an exit code of 0-3;
  - a database that is not UTF-8 JSON, not an array, or has an entry that is
    not an object or has no "file" exits 2 with one `leak-tidy-run: error:`
    line naming the database;
  - any other exit 2 says why (an error line, or "not analysed");
  - a .clang-tidy mutant never makes the run fail silently: whenever the run
    warns about the configuration (clang-tidy cannot read the file, a bad
    leak-* value or name), `leak-tidy --verify-config` exits non-zero too.

Reproduce one mutant with --only K --keep DIR (the mutant is left in DIR)."""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ODD_VALUES = [None, 0, -1, 1.5, True, "", "x", " ", [], {}, [1], {"a": 1}, "\u0000", "\ud800", "\u00e9",
              "../../../nonexistent.cpp", "-fno-such-flag", "a" * 5000, "c++ -c", ["c++"], "/dev/null"]
ODD_BYTES = [b"\x00", b"\xff", b"\xfe\xff", b"\x7f", b"\\", b'"', b"[", b"]", b"{", b"}", b",", b":", b"\n",
             b"\xe2\x82", b"\\u0000", b"\\ud800", b"1e999", b"[" * 200]


def seeds(work):
    files = {"ok.cpp": "void ok() {}\n",
             "leak.cpp": "namespace std { struct thread { template <class F> thread(F) {} ~thread(); }; }\n"
                         "void leak() { std::thread t([] {}); }\n"}
    for name, text in files.items():
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    db = [{"directory": work, "file": name, "arguments": ["clang++", "-std=c++17", "-c", name]} for name in files]
    db.append({"directory": work, "file": "ok.cpp", "command": "clang++ -std=c++17 -c ok.cpp"})
    cfg = ("Checks: '-*,leak-*'\nWarningsAsErrors: ''\nHeaderFilterRegex: '.*'\nCheckOptions:\n"
           "  leak-unjoined-thread.ThreadTypes: 'std::thread;my::Thread'\n"
           "  leak-unjoined-thread.AnalyzeExceptionPaths: true\n"
           "  leak-timer-in-loop.MinDelayMs: 1000\n"
           "  leak-retained-slice.StorageKinds: 'Globals;DataMembers'\n")
    return json.dumps(db, indent=1).encode(), cfg.encode()


def mutate_bytes(rnd, data):
    op = rnd.randrange(6)
    i = rnd.randrange(len(data) + 1)
    if op == 0:
        return data[:i], "truncated at %d" % i
    if op == 1:
        n = rnd.randint(1, 8)
        return data[:i] + data[i + n:], "deleted %d bytes at %d" % (n, i)
    if op == 2:
        b = rnd.choice(ODD_BYTES)
        return data[:i] + b + data[i:], "inserted %r at %d" % (b, i)
    if op == 3:
        j = rnd.randrange(len(data) + 1)
        a, b = sorted((i, j))
        return data[:b] + data[a:b] + data[b:], "duplicated %d:%d" % (a, b)
    if op == 4:
        return bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 64))), "random bytes"
    b = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        if b:
            b[rnd.randrange(len(b))] = rnd.randrange(256)
    return bytes(b), "flipped bytes"


def mutate_db(rnd, data):
    if rnd.random() < 0.5:
        return mutate_bytes(rnd, data)
    db = json.loads(data)
    op = rnd.randrange(6)
    k = rnd.randrange(len(db))
    key = rnd.choice(["directory", "file", "arguments", "command"])
    if op == 0:
        db[k].pop(key, None)
        what = "entry %d without %s" % (k + 1, key)
    elif op == 1:
        db[k][key] = rnd.choice(ODD_VALUES)
        what = "entry %d: %s = %r" % (k + 1, key, db[k][key])
    elif op == 2:
        db[k] = rnd.choice(ODD_VALUES)
        what = "entry %d = %r" % (k + 1, db[k])
    elif op == 3:
        db = rnd.choice([{"entries": db}, db[0], "db", 3, None, [], [db]])
        what = "top level %s" % type(db).__name__
    elif op == 4:
        db[k]["file"] = rnd.choice(["gone.cpp", "/nonexistent/x.cpp", ".", "ok.cpp/", "leak.cpp\u00e9"])
        what = "entry %d file %r" % (k + 1, db[k]["file"])
    else:
        db[k]["arguments" if "arguments" in db[k] else "command"] = rnd.choice(
            [["clang++", "-fno-such-flag", "-c", db[k]["file"]], "clang++ -c '" + db[k]["file"],
             ["clang++", "-include", "/nonexistent.h", "-c", db[k]["file"]], "", []])
        what = "entry %d odd command" % (k + 1)
    return json.dumps(db).encode("utf-8", "surrogatepass"), what


def db_is_broken(data):
    """The rows of issue 19 that must give exit 2 before the run."""
    try:
        db = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return True
    if not isinstance(db, list) or not db:
        return True
    return any(not isinstance(e, dict) or "file" not in e for e in db)


def run(cmd, cwd, timeout):
    t0 = time.time()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", time.time() - t0
    return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace"), time.time() - t0


def check(k, kind, what, data, work, a):
    """Failures of mutant k (a list of strings)."""
    db, cfg = (data, a.db_seed) if kind == "db" else (a.db_seed, data)
    with open(os.path.join(work, "build", "compile_commands.json"), "wb") as f:
        f.write(db)
    with open(os.path.join(work, ".clang-tidy"), "wb") as f:
        f.write(cfg)
    cmd = [a.run, "-p", "build", "--leak-tidy", a.leak_tidy, "--no-progress", "--root", work, "--checks="]
    rc, out, secs = run(cmd, work, a.timeout)
    bad = []
    if rc is None:
        return ["hang: no exit after %ds" % a.timeout]
    if "Traceback" in out:
        bad.append("Python traceback")
    if rc not in (0, 1, 2, 3):
        bad.append("exit %d" % rc)
    if kind == "db" and db_is_broken(db):
        errs = [l for l in out.splitlines() if l.startswith("leak-tidy-run: error:")]
        if rc != 2 or len(errs) != 1 or "compile_commands.json" not in errs[0]:
            bad.append("a broken database must give one error line naming it and exit 2 (got %d)" % rc)
    elif rc == 2 and "leak-tidy-run: error:" not in out and "not analysed:" not in out:
        bad.append("exit 2 without saying why")
    if kind == "cfg":
        vrc, vout, _ = run([a.leak_tidy, "--verify-config"], work, a.timeout)
        if vrc is None:
            bad.append("--verify-config hangs")
        elif "configuration warning:" in out and vrc == 0:
            bad.append("the run warns about the configuration but --verify-config exits 0:\n" + vout)
    return [b + "\n  mutant %d (%s: %s)\n--- output ---\n%s" % (k, kind, what, out) for b in bad]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, help="leak-tidy-run")
    ap.add_argument("--leak-tidy", required=True)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--min-count", type=int, default=0)
    ap.add_argument("--budget", type=float, default=150, help="seconds after which no new mutant starts (0 = none)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds after which a run is a hang")
    ap.add_argument("--only", type=int, default=None)
    ap.add_argument("--keep", default=None, help="work directory to keep (default: a temporary one)")
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="leak-inputs-fuzz-")
    os.makedirs(os.path.join(work, "build"), exist_ok=True)
    a.db_seed, cfg_seed = seeds(work)
    rnd = random.Random("inputs-fuzz-" + a.seed)
    plan = []
    for k in range(a.count):  # the plan does not depend on --only or the budget
        kind = "db" if k % 5 < 3 else "cfg"
        data, what = mutate_db(rnd, a.db_seed) if kind == "db" else mutate_bytes(rnd, cfg_seed)
        plan.append((k, kind, what, data))
    t0, ran, failures, broken = time.time(), 0, [], 0
    for k, kind, what, data in plan:
        if a.only is not None and k != a.only:
            continue
        if a.only is None and a.budget and time.time() - t0 > a.budget:
            break
        ran += 1
        broken += kind == "db" and db_is_broken(data)
        failures += check(k, kind, what, data, work, a)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("inputs-fuzz: %d mutants run in %ds (of %d planned; %d broken databases): %d failures"
          % (ran, time.time() - t0, len(plan), broken, len(failures)))
    for i, f in enumerate(failures):
        print("FAIL: " + (f if i < 5 else f.split("\n--- output ---")[0]))
    if ran < a.min_count:
        print("FAIL: only %d mutants ran within the budget (at least %d wanted)" % (ran, a.min_count))
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
