"""leak-tidy-run on broken input (issue 19): every row gives one clear line
and the documented exit code, never a traceback, never "0 findings" for a file
that was not analysed. Exit codes (docs/ci.md): 0 clean, 1 findings, 2 usage,
input or tool error, 3 compile errors (results incomplete).

--run names the driver under test (default: the build tree's), so the same
test can be pointed at an older driver to see which rows it got wrong."""
import argparse, json, os, stat, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, fresh_dir, cxx_compiler
from validate_sarif import validate

ap = argparse.ArgumentParser()
ap.add_argument("--build"); ap.add_argument("--tmp"); ap.add_argument("--run")
a = ap.parse_args()
run = a.run or os.path.join(a.build, "bin", "leak-tidy-run")
tool = os.path.join(a.build, "bin", "leak-tidy")
work = fresh_dir(os.path.join(a.tmp, "work"))
failures = []


def write(name, text, mode="w"):
    path = os.path.join(work, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)
    return path


def entry(name):
    return {"directory": work, "file": name, "arguments": [cxx_compiler(), "-std=c++17", "-c", name]}


def db(entries, sub="build"):
    write(os.path.join(sub, "compile_commands.json"), json.dumps(entries))
    return os.path.join(work, sub)


def lt(*args, tool_=None):
    cmd = [run, "--no-progress", "--root", work, "--leak-tidy", tool_ or tool] + list(args)
    return sh(cmd, cwd=work, check=False, timeout=300)


def row(name, r, code, *needles, absent=("Traceback",), one_line=False):
    """Collect failures instead of stopping at the first: the report lists
    every row the driver gets wrong."""
    out = r.stdout + r.stderr
    problems = []
    if r.returncode != code:
        problems.append("exit %d, expected %d" % (r.returncode, code))
    problems += ["no %r in the output" % n for n in needles if n not in out]
    problems += ["%r in the output" % n for n in absent if n in out]
    if one_line and len(r.stderr.strip().splitlines()) != 1:
        problems.append("%d lines on stderr, expected one" % len(r.stderr.strip().splitlines()))
    if problems:
        failures.append("%s: %s\n--- output ---\n%s" % (name, "; ".join(problems), out))
    else:
        print("ok: %s" % name)


write("ok.cpp", "#include <thread>\nvoid ok() {\n  std::thread t([] {});\n  t.join();\n}\n")
write("leak.cpp", "#include <thread>\nvoid leak() {\n  std::thread t([] {});\n}\n")
write("bad.cpp", "int f() { return undeclared; }\n")
write("badleak.cpp", "#include <thread>\nvoid leak2() {\n  std::thread t([] {});\n}\nint g() { return nope; }\n")

# Sanity: a clean database is exit 0, a finding exit 1, and the summary counts.
good = db([entry("ok.cpp")], "good")
row("clean database", lt("-p", good), 0, "1 analysed, 0 with compile errors, 0 not analysed")
r = lt("-p", db([entry("ok.cpp"), entry("leak.cpp")], "leaky"))
row("a finding", r, 1, "leak.cpp:3:", "[leak-unjoined-thread]", "2 analysed")

# -p directory without compile_commands.json.
empty_dir = fresh_dir(os.path.join(work, "nodb"))
row("-p without compile_commands.json", lt("-p", empty_dir), 2, "no compile_commands.json in " + empty_dir,
    one_line=True)

# Broken databases: one line naming the file and the problem, exit 2.
broken = {
    "truncated": ('[{"directory": "%s", "file": "ok.cpp", "arguments": ["c++", "-c"' % work, "not valid JSON"),
    "empty": ("", "is empty"),
    "binary": (b"\x7fELF\x02\x01\x01\x00\xff\xfe\x00\x00", "not UTF-8"),
    "non-list": ('{"directory": "%s", "file": "ok.cpp"}' % work, "a JSON array of compile commands was expected"),
    "entry without file": (json.dumps([{"directory": work, "arguments": ["c++", "-c", "ok.cpp"]}]),
                           'entry 1 has no "file"'),
    "entry not an object": ('[["ok.cpp"]]', "entry 1 is not an object"),
}
for name, (content, problem) in broken.items():
    d = os.path.join(work, "broken-" + name.replace(" ", "-"))
    fresh_dir(d)
    path = os.path.join(d, "compile_commands.json")
    with open(path, "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode())
    row("%s compile_commands.json" % name, lt("-p", d), 2, path, problem, one_line=True)

# A database entry, or a named file, that does not exist: not analysed, exit 2.
r = lt("-p", db([entry("ok.cpp"), entry("gone.cpp")], "gone"))
row("database entry that does not exist", r, 2, "not analysed: gone.cpp", "1 analysed", "1 not analysed")
r = lt("-p", good, "missing.cpp")
row("named file that does not exist", r, 2, "not analysed: missing.cpp", "0 analysed", "1 not analysed",
    absent=("Traceback", "1 files, 0 findings"))

# SARIF says the run was incomplete, naming the file (validated against the schema).
sarif = os.path.join(work, "gone.sarif")
r = lt("-p", os.path.join(work, "gone"), "--sarif", sarif)
try:
    inv = json.load(open(sarif))["runs"][0].get("invocations", [{}])[0]
    schema_errors, _ = validate(sarif)
except (OSError, ValueError) as e:
    inv, schema_errors = {}, [str(e)]
notes = json.dumps(inv.get("toolExecutionNotifications", []))
if schema_errors or inv.get("executionSuccessful") is not False or "gone.cpp" not in notes:
    failures.append("SARIF of an incomplete run: %s %s" % (schema_errors, json.dumps(inv)))
else:
    print("ok: SARIF of an incomplete run")

# A TU with compile errors: counted, results incomplete, exit 3 unless allowed.
r = lt("-p", db([entry("ok.cpp"), entry("bad.cpp")], "bad"))
row("compile errors", r, 3, "bad.cpp:1:18: error: use of undeclared identifier", "1 analysed",
    "1 with compile errors (results incomplete)", "0 not analysed")
werror = dict(entry("unused.cpp"), arguments=[cxx_compiler(), "-std=c++17", "-Werror", "-Wunused-variable", "-c",
                                           "unused.cpp"])
write("unused.cpp", "int f() {\n  int unused;\n  return 0;\n}\n")
r = lt("-p", db([werror], "werror"))
row("a warning made an error by -Werror is not a compile error", r, 0, "1 analysed, 0 with compile errors")
r = lt("-p", os.path.join(work, "bad"), "--allow-compile-errors")
row("compile errors allowed, clean", r, 0, "1 with compile errors (results incomplete)")
r = lt("-p", db([entry("badleak.cpp")], "badleak"), "--allow-compile-errors")
row("compile errors allowed, findings", r, 1, "badleak.cpp:3:", "1 with compile errors")
r = lt("-p", os.path.join(work, "badleak"))
row("compile errors and findings", r, 3, "badleak.cpp:3:", "1 with compile errors")

# clang-tidy exits non-zero, or prints an error without a location: a tool error.
r = lt("-p", good, "--extra-arg=-fno-such-flag-at-all")
row("error without a location", r, 2, "tool error", "unknown argument", "1 not analysed (1 tool error)")
silent = write("silent-tidy", "#!/bin/sh\ncase \"$1\" in --version) echo ok; exit 0;; esac\nexit 7\n")
os.chmod(silent, 0o755)
r = lt("-p", good, tool_=silent)
row("clang-tidy exits non-zero silently", r, 2, "tool error", "exited with 7", "1 tool error",
    absent=("Traceback", "1 analysed"))

# Configuration warnings of the checks (clang-tidy prints them without a
# location) are shown once, however many TUs print them.
cfg_dir = fresh_dir(os.path.join(work, "cfg"))
for name in ("ok.cpp", "leak.cpp"):
    write(os.path.join("cfg", name), open(os.path.join(work, name)).read())
write(os.path.join("cfg", ".clang-tidy"), "CheckOptions:\n  leak-timer-in-loop.MinDelayMs: 'soon'\n")
cfg_db = [dict(entry(n), directory=cfg_dir) for n in ("ok.cpp", "leak.cpp")]
r = lt("-p", db(cfg_db, os.path.join("cfg", "build")))
row("configuration warning", r, 1, "configuration warning: invalid value 'soon' for option "
    "'leak-timer-in-loop.MinDelayMs'", "2 analysed")
if r.stderr.count("'soon'") != 1:
    failures.append("configuration warning: shown %d times, expected once\n%s" % (r.stderr.count("'soon'"), r.stderr))

# -j 0 and -j -3: usage errors.
for j in ("0", "-3"):
    row("-j %s" % j, lt("-p", good, "-j", j), 2, "-j", "at least 1")

# Bad --leak-tidy and output paths: exit 2 before the run (the logging tool
# below would record any run).
log = os.path.join(work, "tool.log")
logging = write("logging-tidy", "#!/bin/sh\necho \"$@\" >> %s\nexec %s \"$@\"\n" % (log, tool))
os.chmod(logging, 0o755)


def not_run(name):
    if os.path.exists(log):
        failures.append("%s: leak-tidy ran before the check: %s" % (name, open(log).read()))
        os.remove(log)


noexec = write("noexec-tidy", "#!/bin/sh\nexit 0\n")
os.chmod(noexec, 0o644)
row("--leak-tidy /nonexistent", lt("-p", good, tool_="/nonexistent/leak-tidy"), 2, "/nonexistent/leak-tidy",
    one_line=True)
row("--leak-tidy not executable", lt("-p", good, tool_=noexec), 2, noexec, "not an executable", one_line=True)
readonly_dir = fresh_dir(os.path.join(work, "ro"))
blocker = write("blocker", "a file, not a directory\n")
for opt in ("--sarif", "--write-baseline"):
    for target, why in ((os.path.join(blocker, "out.json"), "is not a directory"),
                        (os.path.join(work, "no", "such", "dir", "out.json"), "does not exist"),
                        (readonly_dir, "is a directory")):
        r = lt("-p", good, opt, target, tool_=logging)
        row("%s %s" % (opt, why), r, 2, opt, why, one_line=True)
        not_run("%s %s" % (opt, why))
if os.geteuid() != 0:  # root can write anywhere: the cases above cover it
    os.chmod(readonly_dir, stat.S_IRUSR | stat.S_IXUSR)
    row("--sarif in a read-only directory", lt("-p", good, "--sarif", os.path.join(readonly_dir, "x")), 2,
        "cannot write", one_line=True)
for content, why in ((None, "cannot read"), ("{not json", "not valid JSON"), ('{"findings": 3}', "not a leak-tidy")):
    path = os.path.join(work, "baseline-%d.json" % len(why))
    if content is not None:
        write(path, content)
    r = lt("-p", good, "--baseline", path, tool_=logging)
    row("--baseline %s" % why, r, 2, "--baseline", why, one_line=True)
    not_run("--baseline %s" % why)

if failures:
    sys.stderr.write("FAIL: %d row(s) wrong:\n\n%s\n" % (len(failures), "\n\n".join(failures)))
    sys.exit(1)
print("driver errors test ok")
