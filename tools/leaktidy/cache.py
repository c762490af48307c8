"""The result cache of leak-tidy-run (see docs/ci.md, "Result cache").

A TU's result (clang-tidy's output and exit code) is stored under a key that
hashes everything it depends on:
  * the command key: the TU's compile commands, the clang-tidy options
    leak-tidy-run passes (--checks, --header-filter, --extra-arg, --config...),
    every .clang-tidy file from the TU's directory up to /, and the tool
    identity (leak-tidy's and clang-tidy's --version, the plugin's and the
    launcher's bytes);
  * the content of every file the TU reads (the dependency list clang writes
    while clang-tidy parses it), byte for byte.
A manifest per command key remembers the dependency list of the last run, so
an unchanged TU is found without starting any process (ccache's "direct
mode"); when a dependency changed, the TU is linted, and clang-tidy itself
writes the new dependency list (clang's -dependency-file), so a cold run
costs no extra process either. With project facts, an entry also holds the
text of the per-TU facts file its run wrote, so that a hit restores it (and
phase 2 decides from its questions whether the TU must run again). Entries
are written to a temporary file and renamed into place, so concurrent runs
sharing a directory never see half an entry.
"""
import hashlib
import json
import os
import tempfile


FORMAT = "leak-tidy-cache-v1"


def _sha(obj):
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()


def config_files(path, files):
    """(path, sha256) of every .clang-tidy from path's directory up to /."""
    out = []
    d = os.path.dirname(path)
    while True:
        for name in (".clang-tidy", "_clang-tidy"):
            c = os.path.join(d, name)
            if os.path.isfile(c):
                out.append((c, files.digest(c)))
        parent = os.path.dirname(d)
        if parent == d:
            return out
        d = parent


class Cache:
    def __init__(self, directory, identity, files):
        self.dir = os.path.join(directory, FORMAT)
        self.identity = identity
        self.files = files
        self.hits = self.misses = 0  # counted by the caller
        self.write_error = None

    def _path(self, kind, key):
        return os.path.join(self.dir, kind, key[:2], key + ".json")

    def _read(self, kind, key):
        try:
            with open(self._path(kind, key)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def _write(self, kind, key, obj):
        """Atomically (a temporary file renamed into place); a cache that
        cannot be written (read-only, full) only costs speed, once said."""
        path = self._path(kind, key)
        tmp = None
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
            with os.fdopen(fd, "w") as f:
                json.dump(obj, f)
            os.replace(tmp, path)
        except OSError as e:
            if tmp:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
            if not self.write_error:
                self.write_error = "%s: %s" % (self.dir, e.strerror or e)

    def command_key(self, tu, entries, options):
        return _sha({"format": FORMAT, "tool": self.identity, "tu": tu,
                     "commands": entries, "options": options,
                     "config": config_files(tu, self.files)})

    def _content_key(self, ckey, dep_list):
        hashes = []
        for d in dep_list:
            h = self.files.digest(d)
            if h is None:
                return None
            hashes.append([d, h])
        return _sha({"command": ckey, "deps": hashes})

    def lookup(self, ckey):
        """(result or None, the manifest's dependency list or None): the
        result stored for the current contents of the files the TU read last
        time. A hit costs no process; a miss is linted (and the lint itself
        reports the new dependency list: see store)."""
        manifest = self._read("manifest", ckey)
        deps = manifest.get("deps") if isinstance(manifest, dict) else None
        if not isinstance(deps, list):
            return None, None
        k = self._content_key(ckey, deps)
        r = self._read("result", k) if k else None
        if r is not None and isinstance(r.get("output"), str):
            return r, deps
        return None, deps

    def store(self, ckey, dep_list, started, rc, output, cmd, facts=False):
        """Record a lint's result under the contents of the files it read,
        unless one of them changed while it ran (or they are unknown).
        `facts`: the text of the per-TU facts file the run wrote (None: it
        wrote none; False: facts were off, nothing recorded)."""
        if not dep_list:
            return
        try:
            if any(os.stat(d).st_mtime >= started for d in dep_list):
                return
        except OSError:
            return
        k = self._content_key(ckey, dep_list)
        if k:
            self._write("manifest", ckey, {"deps": dep_list})
            entry = {"rc": rc, "output": output, "cmd": cmd}
            if facts is not False:
                entry["facts"] = facts
            self._write("result", k, entry)


def tool_identity(tool, version_text, files):
    """What makes results of one leak-tidy differ from another's: the version
    text (leak-tidy, LLVM, the plugin's path), the plugin's bytes, the
    launcher's bytes."""
    ident = {"version": version_text, "launcher": files.digest(os.path.realpath(tool))}
    for line in version_text.splitlines():
        if "plugin: " in line:
            plugin = line.split("plugin: ", 1)[1].rstrip(")").strip()
            ident["plugin"] = files.digest(plugin)
    return _sha(ident)

