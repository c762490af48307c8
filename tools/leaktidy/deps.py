"""What a translation unit reads: its compile commands and its dependency list.

The dependency list comes from the preprocessor (`-M`) run with the TU's own
compile command, by the clang next to the clang-tidy in use (so `__clang__`
branches include what clang-tidy sees), or by the command's own compiler when
that clang is not installed. Files are hashed by content, once per run."""
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import threading

# Arguments that name outputs or dependency files: dropped before `-M`.
_DROP_WITH_VALUE = {"-o", "-MF", "-MT", "-MQ", "-MJ", "--serialize-diagnostics"}
_DROP = {"-c", "-M", "-MM", "-MD", "-MMD", "-MP", "-MG", "-fsyntax-only", "-E", "-S"}
_JOINED = ("-o", "-MF", "-MT", "-MQ", "-MJ")


def load_entries(compdb):
    """realpath of each source -> its compile commands ([(directory, argv)])."""
    with open(compdb) as f:
        data = json.load(f)
    out = {}
    for e in data:
        d = e.get("directory", ".")
        argv = e.get("arguments") or shlex.split(e.get("command", ""))
        fn = e["file"]
        path = os.path.realpath(fn if os.path.isabs(fn) else os.path.join(d, fn))
        out.setdefault(path, []).append((d, list(argv)))
    return out


def find_clang(tool_version_text):
    """clang from the same LLVM as the clang-tidy in use, if installed."""
    m = re.search(r"LLVM version (\d+)", tool_version_text or "")
    cands = []
    if m:
        cands += ["/usr/lib/llvm-%s/bin/clang" % m.group(1), "clang-%s" % m.group(1)]
    for c in cands:
        found = shutil.which(c) if not os.path.isabs(c) else (c if os.access(c, os.X_OK) else None)
        if found:
            return found
    return None


def preprocessor_argv(argv, clang, extra_args):
    """The compile command turned into `<compiler> ... -M` (dependencies to stdout)."""
    if clang:
        first = clang + ("++" if "++" in os.path.basename(argv[0]) else "")
        if not os.access(first, os.X_OK):
            first = clang
            if "++" in os.path.basename(argv[0]):
                extra_args = ["--driver-mode=g++"] + list(extra_args)
    else:
        first = argv[0]
    out = [first]
    skip = False
    for a in argv[1:]:
        if skip:
            skip = False
            continue
        if a in _DROP_WITH_VALUE:
            skip = True
            continue
        if a in _DROP or (a.startswith(_JOINED) and not a.startswith(("-MD", "-MMD", "-MP", "-MG"))):
            continue
        out.append(a)
    return out + list(extra_args) + ["-w", "-M"]


def parse_make_deps(text):
    """Paths of a make rule `target: dep dep \\` (backslash-escaped spaces)."""
    text = text.replace("\\\r\n", " ").replace("\\\n", " ")
    colon = re.search(r":(\s|$)", text)
    body = text[colon.end():] if colon else text
    deps, cur, i = [], [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body) and body[i + 1] in " #":
            cur.append(body[i + 1])
            i += 2
            continue
        if c.isspace():
            if cur:
                deps.append("".join(cur))
                cur = []
        else:
            cur.append(c)
        i += 1
    if cur:
        deps.append("".join(cur))
    return deps


class Files:
    """Content hashes and realpaths, memoised for the run (thread-safe)."""

    def __init__(self):
        self._hash, self._real = {}, {}
        self._lock = threading.Lock()

    def real(self, path):
        r = self._real.get(path)
        if r is None:
            r = os.path.realpath(path)
            self._real[path] = r
        return r

    def digest(self, path):
        """sha256 of the file's bytes, or None when it cannot be read."""
        with self._lock:
            if path in self._hash:
                return self._hash[path]
        try:
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            d = h.hexdigest()
        except OSError:
            d = None
        with self._lock:
            self._hash[path] = d
        return d


def dependencies(entries, clang, extra_args, files):
    """The files the TU's compile commands read (realpaths, in preprocessor
    order, the source first), or None when the preprocessor fails."""
    seen, order = set(), []
    for directory, argv in entries:
        cmd = preprocessor_argv(argv, clang, extra_args)
        try:
            p = subprocess.run(cmd, cwd=directory, capture_output=True, text=True, errors="replace")
        except OSError:
            return None
        if p.returncode != 0:
            return None
        for d in parse_make_deps(p.stdout):
            r = files.real(os.path.join(directory, d))
            if r not in seen:
                seen.add(r)
                order.append(r)
    return order
