# Drives check_leak.py on generated inputs and asserts it fails where it must.
import os, subprocess, sys, tempfile
check = sys.argv[1:]
def run(src, checks="leak-unjoined-thread"):
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as f:
        f.write(src)
    r = subprocess.run(check + [f.name, checks, "--", "-std=c++17"], capture_output=True, text=True)
    os.unlink(f.name)
    return r.returncode, r.stdout + r.stderr
# 1. An expected warning that never comes: must fail.
rc, out = run("int f() { return 0; } // WARN: a warning that no check emits\n")
assert rc != 0 and "missing warning" in out, out
# 2. Code that does not compile: must fail, whatever is expected.
rc, out = run("int f() { return undeclared; }\n")
assert rc != 0 and "does not compile" in out, out
# 3. A check name that does not exist: no check runs, must fail.
rc, out = run("int f() { return 0; }\n", checks="leak-no-such-check")
assert rc != 0 and "no check enabled" in out, out
# 4. Clean code with no expectation passes.
rc, out = run("int f() { return 0; }\n")
assert rc == 0, out
print("runner self-test ok")
