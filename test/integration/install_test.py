"""The installed leak-tidy: found relative to itself, works from any directory,
says its version, lists the checks, shows their options, rejects bad values."""
import argparse, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, expect, install, fresh_dir

ap = argparse.ArgumentParser()
ap.add_argument("--build"); ap.add_argument("--tmp")
a = ap.parse_args()
tool = install(a.build, os.path.join(a.tmp, "prefix"))
elsewhere = fresh_dir(os.path.join(a.tmp, "elsewhere"))

v = sh([tool, "--version"], cwd="/").stdout
expect("leak-tidy version" in v and "LLVM 22" in v, "--version names leak-tidy and LLVM 22", v)

# Through a symlink on PATH (how editors and /usr/bin find it).
link = os.path.join(a.tmp, "leak-tidy-link")
if os.path.lexists(link):
    os.unlink(link)
os.symlink(tool, link)
lc = sh([link, "--checks=-*,leak-*", "--list-checks"], cwd=elsewhere).stdout
for c in ["leak-timer-in-loop", "leak-unstopped-ticker", "leak-unbounded-global-cache",
          "leak-unjoined-thread", "leak-retained-slice", "leak-channel-without-reader"]:
    expect(c in lc, "installed leak-tidy lists " + c, lc)

# A leak is found by the installed tool, from another directory.
src = os.path.join(elsewhere, "leak.cpp")
with open(src, "w") as f:
    f.write("#include <thread>\nvoid f() {\n  std::thread t([] {});\n}\n")
out = sh([tool, "--checks=-*,leak-*", src, "--", "-std=c++17"], cwd="/", check=False)
expect("[leak-unjoined-thread]" in out.stdout, "the installed tool finds the leak", out.stdout + out.stderr)

# .clang-tidy files are read as usual.
with open(os.path.join(elsewhere, ".clang-tidy"), "w") as f:
    f.write("Checks: '-*,leak-unjoined-thread'\n")
out = sh([tool, src, "--", "-std=c++17"], cwd=elsewhere, check=False)
expect("[leak-unjoined-thread]" in out.stdout, ".clang-tidy enables the check", out.stdout + out.stderr)

# --dump-config shows every leak check's options with their defaults.
dc = sh([tool, "--checks=-*,leak-*", "--dump-config"], cwd=elsewhere).stdout
expect("leak-unjoined-thread." in dc, "--dump-config shows leak-unjoined-thread's options", dc)

# A malformed option value is a clear configuration error naming the option.
bad = sh([tool, "--checks=-*,leak-unjoined-thread",
          "--config={CheckOptions: {leak-unjoined-thread.ThreadTypes: 'std::'}}", src, "--", "-std=c++17"],
         cwd=elsewhere, check=False)
expect("leak-unjoined-thread.ThreadTypes" in bad.stdout + bad.stderr,
       "a malformed option value names the option", bad.stdout + bad.stderr)
print("install test ok")
