"""The result cache of leak-tidy-run (see docs/ci.md, "Result cache").

A TU's result (clang-tidy's output and exit code) is stored under a key that
hashes everything it depends on:
  * the command key: the TU's compile commands, the clang-tidy options
    leak-tidy-run passes (--checks, --header-filter, --extra-arg, --config...),
    every .clang-tidy file from the TU's directory up to /, and the tool
    identity (leak-tidy's and clang-tidy's --version, the plugin's and the
    launcher's bytes);
  * the content of every file the preprocessor reads for the TU (its `-M`
    dependency list), byte for byte.
A manifest per command key remembers the dependency list of the last run, so
an unchanged TU is found without starting any process (ccache's "direct
mode"); when a dependency changed, the preprocessor is run again for the new
list. Entries are written to a temporary file and renamed into place, so
concurrent runs sharing a directory never see half an entry.
"""
import hashlib
import json
import os
import tempfile

from . import deps as depsmod

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
        self.hits = self.misses = 0
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

    def key(self, ckey, compute_deps):
        """(result key, dependency list); the key is None when the TU's
        dependencies cannot be found (then it is linted and not stored)."""
        manifest = self._read("manifest", ckey)
        if manifest and isinstance(manifest.get("deps"), list):
            k = self._content_key(ckey, manifest["deps"])
            if k and self._read("result", k) is not None:
                return k, manifest["deps"]
        dep_list = compute_deps()
        if dep_list is None:
            return None, None
        self._write("manifest", ckey, {"deps": dep_list})
        return self._content_key(ckey, dep_list), dep_list

    def get(self, key):
        r = self._read("result", key) if key else None
        if r is not None and isinstance(r.get("output"), str):
            self.hits += 1
            return r
        return None

    def put(self, key, rc, output, cmd):
        self.misses += 1
        if key:
            self._write("result", key, {"rc": rc, "output": output, "cmd": cmd})


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


__all__ = ["Cache", "tool_identity", "config_files", "depsmod"]
