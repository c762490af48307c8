#!/usr/bin/env python3
"""A small LSP client that drives leak-clangd over stdio (JSON-RPC 2.0).

Two modes:

  check  -- the end-to-end test. Starts the server, `initialize`s, opens FILE
            (didOpen), waits for textDocument/publishDiagnostics and compares
            the diagnostics with the expectations written in FILE; asks for
            code actions where FILE expects a quick-fix; with --change-to
            FIXED it then sends didChange with FIXED's text and compares the
            new diagnostics with FIXED's expectations (usually none: the
            finding disappears); finally shutdown/exit.

  bench  -- the per-keystroke cost: opens each FILE, then sends --edits
            didChange notifications (a comment appended at the end, so the
            preamble is reused) and times each until its publishDiagnostics.
            Run once per configuration (see docs/editor.md).

Expectations in a checked file are comments, on the line the diagnostic
points at (like the lit runner's WARN:), or on another line with @+N / @-N
(`// LSP-FIX@-1: ...` names the line above):

  // LSP-DIAG: <code> '<range text>' <message regex>
      a diagnostic whose `code` is <code> (a clang-tidy check name, source
      "clang-tidy"; or a clang warning flag such as -Wunused-variable, source
      "clang"), whose range starts on this line and covers exactly <range
      text>, and whose message matches the regex (Python `re.search`; note
      that clangd capitalizes the first letter and may append
      " (fix available)").
  // LSP-FIX: <code> '<old text>' -> '<new text>'
      textDocument/codeAction for that diagnostic returns a quickfix whose
      edit replaces <old text> (on this line) with <new text>.

Any diagnostic not expected fails the check (precision is tested too).
The file must sit in a directory whose compile_flags.txt / .clangd /
.clang-tidy configure the server; the lit tests create one under %t.
"""
import argparse
import json
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

DIAG_RE = re.compile(r"//\s*LSP-DIAG(@[+-]\d+)?:\s*(\S+)\s+'([^']*)'\s*(.*?)\s*$")
FIX_RE = re.compile(r"//\s*LSP-FIX(@[+-]\d+)?:\s*(\S+)\s+'([^']*)'\s*->\s*'([^']*)'\s*$")


class Failure(Exception):
    pass


def uri_of(path):
    return "file://" + urllib.parse.quote(str(Path(path).resolve()))


class Server:
    """One leak-clangd process and the JSON-RPC framing around it."""

    def __init__(self, clangd, root, extra_args, log_path):
        env = dict(os.environ)
        # No user-level clangd config may change what the test sees.
        env["XDG_CONFIG_HOME"] = str(Path(root) / ".xdg-config")
        # The server runs in the workspace root: resolve a relative path first.
        clangd = shutil.which(clangd) if os.sep not in clangd else os.path.abspath(clangd)
        if not clangd:
            raise Failure("leak-clangd not found")
        args = [clangd, "--background-index=false", "--log=error", "--enable-config",
                "--pch-storage=memory"] + extra_args
        self.log = open(log_path, "wb") if log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, cwd=root, env=env)
        self.buf = b""
        self.next_id = 1
        self.pending = []  # messages read while waiting for something else

    def send(self, msg):
        msg["jsonrpc"] = "2.0"
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def request(self, method, params, timeout):
        rid = self.next_id
        self.next_id += 1
        self.send({"id": rid, "method": method, "params": params})
        msg = self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout,
                            "the response to %s" % method)
        if "error" in msg:
            raise Failure("%s failed: %s" % (method, msg["error"]))
        return msg.get("result")

    def _read_message(self, deadline):
        while True:
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                length = None
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is None:
                    raise Failure("malformed LSP header from the server: %r" % head)
                if len(rest) >= length:
                    self.buf = rest[length:]
                    return json.loads(rest[:length])
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise Failure("the server exited (code %s) before answering" % self.proc.poll())
            self.buf += chunk

    def wait_for(self, pred, timeout, what):
        for i, msg in enumerate(self.pending):
            if pred(msg):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read_message(deadline)
            if msg is None:
                raise Failure("timed out after %ss waiting for %s" % (timeout, what))
            if "method" in msg and "id" in msg:
                # A request from the server (e.g. window/workDoneProgress/create).
                self.send({"id": msg["id"], "result": None})
                continue
            if pred(msg):
                return msg
            self.pending.append(msg)

    def diagnostics(self, uri, version, timeout):
        def is_ours(m):
            p = m.get("params") or {}
            return (m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri
                    and p.get("version") == version)
        msg = self.wait_for(is_ours, timeout, "publishDiagnostics of version %d" % version)
        return msg["params"]["diagnostics"]

    def initialize(self, root, timeout):
        caps = {
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": True, "versionSupport": True,
                                       "codeDescriptionSupport": True},
                "codeAction": {"codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}}},
                "synchronization": {"didSave": False},
            },
        }
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": uri_of(root),
                                             "capabilities": caps}, timeout)
        self.notify("initialized", {})
        return result

    def shutdown(self, timeout):
        self.request("shutdown", None, timeout)
        self.notify("exit", None)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failure("the server did not exit after shutdown/exit")
        if code != 0:
            raise Failure("the server exited with code %d after shutdown/exit" % code)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def range_text(lines, rng):
    """The document text an LSP range covers (UTF-16 columns; ASCII tests)."""
    s, e = rng["start"], rng["end"]
    if s["line"] == e["line"]:
        return lines[s["line"]][s["character"]:e["character"]]
    parts = [lines[s["line"]][s["character"]:]]
    parts += lines[s["line"] + 1:e["line"]]
    parts.append(lines[e["line"]][:e["character"]])
    return "\n".join(parts)


def parse_expectations(text):
    diags, fixes = [], []
    for no, line in enumerate(text.split("\n")):
        m = DIAG_RE.search(line)
        if m:
            diags.append({"line": no + int(m.group(1)[1:] if m.group(1) else 0),
                          "code": m.group(2), "text": m.group(3), "message": m.group(4)})
        m = FIX_RE.search(line)
        if m:
            fixes.append({"line": no + int(m.group(1)[1:] if m.group(1) else 0),
                          "code": m.group(2), "old": m.group(3), "new": m.group(4)})
    return diags, fixes


def source_of(code):
    """clangd's `source`: clang for compiler warnings/errors, else clang-tidy."""
    return "clang" if code.startswith("-W") or code.startswith("err_") else "clang-tidy"


def describe(d, lines):
    return "%d:%d [%s from %s] %r (range text %r, severity %s)" % (
        d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d.get("code"),
        d.get("source"), d["message"], range_text(lines, d["range"]), d.get("severity"))


def match_diagnostics(label, text, got):
    """Every expected diagnostic present, nothing else. Returns code -> diag."""
    lines = text.split("\n")
    expected, _ = parse_expectations(text)
    left = list(got)
    found = {}
    errors = []
    for exp in expected:
        hit = None
        for d in left:
            if (str(d.get("code")) == exp["code"] and d.get("source") == source_of(exp["code"])
                    and d["range"]["start"]["line"] == exp["line"]
                    and range_text(lines, d["range"]) == exp["text"]
                    and re.search(exp["message"], d["message"])):
                hit = d
                break
        if hit is None:
            errors.append("%s: missing diagnostic on line %d: [%s] over %r matching /%s/" % (
                label, exp["line"] + 1, exp["code"], exp["text"], exp["message"]))
            continue
        left.remove(hit)
        found[(exp["code"], exp["line"])] = hit
        print("%s: ok: %s" % (label, describe(hit, lines)))
    for d in left:
        errors.append("%s: unexpected diagnostic: %s" % (label, describe(d, lines)))
    if not expected and not left:
        print("%s: ok: no diagnostics" % label)
    if errors:
        got_s = "\n".join("    " + describe(d, lines) for d in got) or "    (none)"
        raise Failure("\n".join(errors) + "\n  the server published:\n" + got_s)
    return found


def edits_of(action):
    """All TextEdits of a CodeAction, whichever form the workspace edit takes."""
    edit = action.get("edit") or {}
    out = []
    for changes in (edit.get("changes") or {}).values():
        out += changes
    for dc in edit.get("documentChanges") or []:
        out += dc.get("edits", [])
    return out


def check_fixes(server, uri, text, found, timeout):
    lines = text.split("\n")
    _, fixes = parse_expectations(text)
    for fx in fixes:
        diag = found.get((fx["code"], fx["line"]))
        if diag is None:
            raise Failure("LSP-FIX on line %d names no expected LSP-DIAG [%s] on that line"
                          % (fx["line"] + 1, fx["code"]))
        actions = server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diag["range"],
            "context": {"diagnostics": [diag], "only": ["quickfix"]}}, timeout) or []
        ok = False
        for a in actions:
            if a.get("kind") != "quickfix":
                continue
            for e in edits_of(a):
                if (e["range"]["start"]["line"] == fx["line"]
                        and range_text(lines, e["range"]) == fx["old"] and e["newText"] == fx["new"]):
                    ok = True
                    print("codeAction: ok: quickfix %r replaces %r with %r on line %d" % (
                        a.get("title"), fx["old"], fx["new"], fx["line"] + 1))
        if not ok:
            raise Failure("no quickfix replacing %r with %r on line %d for [%s]; got:\n%s" % (
                fx["old"], fx["new"], fx["line"] + 1, fx["code"], json.dumps(actions, indent=1)))


def language_of(path):
    return "c" if str(path).endswith(".c") else "cpp"


def run_check(args):
    path = Path(args.file).resolve()
    root = Path(args.root).resolve() if args.root else path.parent
    uri = uri_of(path)
    text = path.read_text()
    server = None
    try:
        server = Server(args.clangd, root, args.server_arg, args.server_log)
        server.initialize(root, args.timeout)
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language_of(path), "version": 1, "text": text}})
        got = server.diagnostics(uri, 1, args.timeout)
        found = match_diagnostics("didOpen", text, got)
        check_fixes(server, uri, text, found, args.timeout)
        if args.change_to:
            fixed = Path(args.change_to).read_text()
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"text": fixed}]})
            got = server.diagnostics(uri, 2, args.timeout)
            found = match_diagnostics("didChange", fixed, got)
            check_fixes(server, uri, fixed, found, args.timeout)
        server.shutdown(args.timeout)
    except Failure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    finally:
        if server:
            server.kill()
    print("PASS")
    return 0


def run_bench(args):
    root = Path(args.root).resolve()
    server = None
    per_file = []
    try:
        server = Server(args.clangd, root, args.server_arg, args.server_log)
        server.initialize(root, args.timeout)
        for f in args.files:
            path = Path(f).resolve()
            uri = uri_of(path)
            text = path.read_text()
            server.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": language_of(path), "version": 1, "text": text}})
            first = server.diagnostics(uri, 1, args.timeout)
            times = []
            for i in range(args.edits):
                version = i + 2
                start = time.monotonic()
                server.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": text + "\n// edit %d\n" % i}]})
                server.diagnostics(uri, version, args.timeout)
                times.append(time.monotonic() - start)
            server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            med = statistics.median(times)
            per_file.append(med)
            print("%-50s median %7.1f ms  min %7.1f ms  (%d rebuilds, %d diagnostics)" % (
                f, med * 1000, min(times) * 1000, len(times), len(first)))
        server.shutdown(args.timeout)
    except Failure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    finally:
        if server:
            server.kill()
    print("total of medians: %.1f ms" % (sum(per_file) * 1000))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clangd", required=True, help="the leak-clangd binary")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per server answer")
    ap.add_argument("--server-arg", action="append", default=[], help="extra server argument")
    ap.add_argument("--server-log", help="write the server's stderr log here")
    sub = ap.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("check", help="end-to-end test of one file")
    c.add_argument("file")
    c.add_argument("--root", help="workspace root (default: the file's directory)")
    c.add_argument("--change-to", help="didChange to this file's text, then check again")
    b = sub.add_parser("bench", help="time rebuilds after didChange")
    b.add_argument("--root", required=True, help="workspace root")
    b.add_argument("--edits", type=int, default=10, help="didChange rebuilds per file")
    b.add_argument("files", nargs="+")
    args = ap.parse_args()
    return run_check(args) if args.mode == "check" else run_bench(args)


if __name__ == "__main__":
    sys.exit(main())
