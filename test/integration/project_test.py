"""Whole-project lint from compile_commands.json: parallel, progress, each
finding once (a header's finding seen through two TUs), non-zero exit on
findings; SARIF 2.1.0 output; a baseline that fails only on new findings and
survives unrelated edits above a finding; an unreadable .clang-tidy is one
warning, not a compile error per TU."""
import json, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, expect, sample_project
from validate_sarif import validate

a, prefix, run, proj, bdir = sample_project(__doc__)

r = sh([run, "-p", bdir, "-j", "2", "--root", proj], cwd=proj, check=False)
out, err = r.stdout, r.stderr
expect(r.returncode == 1, "findings give exit code 1 (got %d)" % r.returncode, out + err)
expect("[1/3]" in err and "[3/3]" in err, "progress is shown for the 3 TUs", err)
header_hits = [l for l in out.splitlines() if "spawn.h:5:" in l and ": warning:" in l]
expect(len(header_hits) == 1, "the header's finding is reported once (got %d)" % len(header_hits), out)
expect(any("server.cpp:5:" in l and "[leak-unjoined-thread]" in l for l in out.splitlines()),
       "the early-return leak in server.cpp is reported", out)
expect("clean.cpp" not in out, "clean.cpp has no finding", out)

# SARIF
sarif = os.path.join(a.tmp, "out.sarif")
sh([run, "-p", bdir, "--root", proj, "--sarif", sarif, "--no-progress"], cwd=proj, check=False)
errs, full = validate(sarif)
expect(not errs, "SARIF is valid: " + "; ".join(errs))
doc = json.load(open(sarif))
res = doc["runs"][0]["results"]
expect(len(res) == 2, "2 SARIF results (got %d)" % len(res), json.dumps(res, indent=1))
rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
expect(rules["leak-unjoined-thread"]["helpUri"].endswith("leak-unjoined-thread.md"), "rule help links the docs page")
srv = [x for x in res if x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/server.cpp"]
expect(srv and srv[0].get("relatedLocations") and srv[0].get("codeFlows"),
       "notes become related locations and a code flow", json.dumps(srv, indent=1))

# Baseline: record today, then unrelated edits above the findings keep it green...
base = os.path.join(a.tmp, "baseline.json")
r = sh([run, "-p", bdir, "--root", proj, "--write-baseline", base, "--no-progress"], cwd=proj, check=False)
expect(r.returncode == 0 and len(json.load(open(base))["findings"]) == 2, "baseline records 2 findings", r.stderr)
server = os.path.join(proj, "src", "server.cpp")
text = open(server).read()
open(server, "w").write("// a comment added above\n#include <vector>\n\n" + text)
r = sh([run, "-p", bdir, "--root", proj, "--baseline", base, "--no-progress"], cwd=proj, check=False)
expect(r.returncode == 0 and r.stdout.strip() == "", "moved findings are not new", r.stdout + r.stderr)
# ...and a new leak fails, showing only the new one.
open(server, "a").write("\nvoid another() {\n  std::thread u([] {});\n}\n")
r = sh([run, "-p", bdir, "--root", proj, "--baseline", base, "--no-progress"], cwd=proj, check=False)
lines = [l for l in r.stdout.splitlines() if ": warning:" in l]
expect(r.returncode == 1 and len(lines) == 1 and "'u'" in lines[0], "only the new finding fails", r.stdout + r.stderr)

# A .clang-tidy that clang-tidy 22 cannot read (a key removed since, as in
# spdlog's) is ignored by clang-tidy, which still runs the checks: one
# warning, not a compile error for every TU, and the findings are still there.
open(os.path.join(proj, ".clang-tidy"), "w").write("Checks: '-*'\nAnalyzeTemporaryDtors: false\n")
r = sh([run, "-p", bdir, "--root", proj, "--no-progress"], cwd=proj, check=False)
expect(r.returncode == 1 and "[leak-unjoined-thread]" in r.stdout, "findings despite an unreadable .clang-tidy",
       r.stdout + r.stderr)
expect(r.stderr.count("unknown key 'AnalyzeTemporaryDtors'") == 1 and "compile error:" not in r.stderr
       and "3 analysed, 0 with compile errors" in r.stderr,
       "the unreadable .clang-tidy is one warning, not a compile error per TU", r.stderr)
os.remove(os.path.join(proj, ".clang-tidy"))

print("project test ok (sarif: %s)" % ("schema" if full else "structure"))
