#!/usr/bin/env python3
"""Runs clang-tidy 22 with the leak-tidy plugin on one test file and compares
its diagnostics with the expectations written in the file.

Expectations are comments on (or near) the line the diagnostic points at:

    std::thread t(work);   // WARN: thread 't' may still be joinable
    if (bad) return;       // NOTE: returns here
    // WARN@+1: {{[0-9]+}} timers pile up        (on the next line; @-2 etc.)
    // CPP20-WARN: ...     (only counted with --prefixes containing CPP20)

The text is a substring of the message; {{...}} parts are regular
expressions. Warnings must carry one of the enabled check names. The test
fails on:
  * an expected diagnostic that is missing,
  * a warning (or, unless --allow-extra-notes, a note) that is not expected,
  * a compiler error in the input (unless --allow-errors),
  * clang-tidy crashing, or running no check at all.
"""
import argparse
import os
import re
import subprocess
import sys

DIAG_RE = re.compile(r"^(.*?):(\d+):(\d+): (warning|error|note|fatal error): (.*)$")
CHECK_RE = re.compile(r"^(.*) \[([\w.,-]+)\]$")


def marker_re(prefixes):
    alts = []
    for p in prefixes:
        alts.append(re.escape(p + "-") if p else "")
    pre = "(?:%s)" % "|".join(alts)
    return re.compile(r"(?<![\w-])%s(WARN|NOTE)(@[+-]?\d+)?:\s*(.*?)(?=\s+(?:[\w-]*-)?(?:WARN|NOTE)(?:@[+-]?\d+)?:|\s*$)" % pre)


def pattern_to_regex(text):
    out = []
    pos = 0
    for m in re.finditer(r"\{\{(.*?)\}\}", text):
        out.append(re.escape(text[pos:m.start()]))
        out.append("(?:%s)" % m.group(1))
        pos = m.end()
    out.append(re.escape(text[pos:]))
    return re.compile("".join(out))


def read_expectations(path, prefixes):
    expected = []
    rx = marker_re(prefixes)
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            if "RUN:" in line:
                continue
            idx = line.find("//")
            if idx < 0:
                idx = line.find("/*")
            if idx < 0:
                continue
            comment = line[idx + 2:]
            for m in rx.finditer(comment):
                kind = "warning" if m.group(1) == "WARN" else "note"
                target = lineno
                if m.group(2):
                    off = m.group(2)[1:]
                    target = lineno + int(off) if off[0] in "+-" else int(off)
                text = m.group(3).rstrip()
                if text.endswith("*/"):
                    text = text[:-2].rstrip()
                expected.append({"kind": kind, "line": target, "text": text,
                                 "rx": pattern_to_regex(text), "src": lineno})
    return expected


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clang-tidy", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--config", default=None, help="clang-tidy --config value")
    ap.add_argument("--config-file", default=None)
    ap.add_argument("--prefixes", default="", help="comma list; empty item = plain markers")
    ap.add_argument("--allow-extra-notes", action="store_true")
    ap.add_argument("--allow-errors", action="store_true",
                    help="input may not compile (robustness tests)")
    ap.add_argument("--extra-arg", action="append", default=[])
    ap.add_argument("file")
    ap.add_argument("checks")
    ap.add_argument("compile_args", nargs=argparse.REMAINDER)
    a = ap.parse_args()

    compile_args = a.compile_args
    if compile_args and compile_args[0] == "--":
        compile_args = compile_args[1:]
    prefixes = a.prefixes.split(",") if a.prefixes else [""]
    enabled = [c for c in a.checks.split(",") if c and not c.startswith("-")]

    cmd = [a.clang_tidy, "--load=" + a.plugin, "--checks=-*," + a.checks, "--quiet"]
    if a.config is not None:
        cmd.append("--config=" + a.config)
    if a.config_file:
        cmd.append("--config-file=" + a.config_file)
    for e in a.extra_arg:
        cmd.append("--extra-arg=" + e)
    cmd += [a.file, "--"] + compile_args
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    output = proc.stdout + proc.stderr

    def fail(msg):
        sys.stderr.write("check_leak: FAIL: %s\ncommand: %s\n--- clang-tidy output ---\n%s\n"
                         % (msg, " ".join(cmd), output))
        sys.exit(1)

    if proc.returncode < 0 or proc.returncode > 128 or "Stack dump:" in output \
            or "PLEASE submit a bug report" in output:
        fail("clang-tidy crashed (exit %d)" % proc.returncode)
    if "No checks enabled" in output or "no checks enabled" in output:
        fail("no check enabled: is the plugin loaded and the check name right?")
    main_file = os.path.realpath(a.file)
    actual = []
    for line in output.splitlines():
        m = DIAG_RE.match(line)
        if not m:
            continue
        path, lno, col, kind, msg = m.groups()
        check = None
        cm = CHECK_RE.match(msg)
        if cm:
            msg, check = cm.group(1), cm.group(2)
        rp = os.path.realpath(path) if path else path
        actual.append({"file": rp, "line": int(lno), "col": int(col), "kind": kind,
                       "msg": msg, "check": check, "raw": line})

    errors = [d for d in actual if d["kind"] in ("error", "fatal error")]
    if errors and not a.allow_errors:
        fail("the input does not compile: %s" % errors[0]["raw"])

    expected = read_expectations(a.file, prefixes)
    problems = []
    unmatched = [d for d in actual if d["kind"] in ("warning", "note")]
    for exp in expected:
        hit = None
        for d in unmatched:
            if d["file"] != main_file or d["line"] != exp["line"] or d["kind"] != exp["kind"]:
                continue
            if not exp["rx"].search(d["msg"]):
                continue
            if exp["kind"] == "warning" and (d["check"] is None or
                                             not any(c in d["check"].split(",") or c.endswith("*")
                                                     for c in enabled)):
                continue
            hit = d
            break
        if hit is None:
            problems.append("missing %s at line %d (expected on line %d): %s"
                            % (exp["kind"], exp["line"], exp["src"], exp["text"]))
        else:
            unmatched.remove(hit)
    for d in unmatched:
        if d["kind"] == "note" and a.allow_extra_notes:
            continue
        problems.append("unexpected %s: %s" % (d["kind"], d["raw"]))
    if problems:
        fail("\n  " + "\n  ".join(problems))
    n_warn = sum(1 for e in expected if e["kind"] == "warning")
    print("check_leak: ok: %d expected warnings, %d expected notes matched"
          % (n_warn, len(expected) - n_warn))


if __name__ == "__main__":
    main()
