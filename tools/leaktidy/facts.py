"""The project facts store of leak-tidy (docs/architecture.md, "Project facts"; docs/ci.md, "Project facts").

Each TU that leak-tidy checks with `leak.ExportFacts` writes `<dir>/tu/<sha1 of its main file>.jsonl`: a "tu" line
(its main file, the plugin version, the files it read with their sha256), fact lines (`key` = a clang USR, `kind`,
payload) and question lines (a key the TU asked about and the digest of the answer it saw). `merge` joins the fact
lines of the chosen TUs into `<dir>/facts.idx`: a header line, then `<key>\\t<json>` lines sorted bytewise, which the
plugin binary-searches without loading the file. `digest` is the answer's fingerprint; a TU whose questions now have
another digest must be checked again (phase 2). `Store` is what leak-tidy-run does with a store directory: prepare
it (writable, a readable facts.idx), find the per-TU files that are fresh (every file they read still has the
recorded sha256), merge only those, and name the TUs whose answers changed.

  python3 facts.py merge DIR [TU_FILE...]   # merge every (or the given) per-TU file of DIR
  python3 facts.py check DIR                # is DIR/facts.idx a readable store? (exit 0 / 2 with the reason)
"""
import hashlib
import json
import os
import sys
import tempfile

HEADER = "#leak-tidy-facts 1"


class FactsError(Exception):
    """A store that cannot be used (not writable, a corrupt facts.idx): one line, exit 2."""


def tu_file(directory, main_file):
    """The per-TU file of the TU whose main file is `main_file` (named after its real path, as the plugin does)."""
    name = hashlib.sha1(os.path.realpath(main_file).encode()).hexdigest() + ".jsonl"
    return os.path.join(directory, "tu", name)


def parse_tu(text):
    """(tu header dict, [fact dicts], [question dicts]) of a per-TU file's text; None when it is torn."""
    try:
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError:
        return None
    if not lines or not all(isinstance(r, dict) for r in lines) or lines[0].get("kind") != "tu":
        return None
    if not isinstance(lines[0].get("tu"), str) or not isinstance(lines[0].get("files", []), list):
        return None
    # A fact line names its TU only where it is not the file's (the plugin leaves "tu" out: the store is smaller).
    facts = [r if "tu" in r else dict(r, tu=lines[0]["tu"]) for r in lines[1:] if r.get("kind") != "question"]
    questions = [r for r in lines[1:] if r.get("kind") == "question"]
    return lines[0], facts, questions


def read_tu(path):
    """parse_tu of the file at `path`; None when it is missing, unreadable or torn."""
    try:
        with open(path, encoding="utf-8") as f:
            return parse_tu(f.read())
    except (OSError, UnicodeDecodeError):
        return None


def _line(record):
    # The same bytes the plugin hashes: compact JSON, keys in the plugin's order (llvm::json sorts keys).
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _usable_key(key):
    return isinstance(key, str) and key and "\t" not in key and "\n" not in key


def index_lines(parsed_tus):
    """The sorted `<key>\\t<json>` lines of the fact lines of the given parse_tu results (the JSON without the key,
    which starts the line)."""
    lines = []
    for parsed in parsed_tus:
        for fact in parsed[1]:
            if _usable_key(fact.get("key")):
                lines.append(fact["key"] + "\t" + _line({k: v for k, v in fact.items() if k != "key"}))
    lines.sort(key=lambda s: s.encode("utf-8"))
    return lines


def public_mode(fd):
    """mkstemp makes 0600 files; the store is read by other users' editors and CI steps: 0666 minus the umask."""
    mask = os.umask(0)
    os.umask(mask)
    os.fchmod(fd, 0o666 & ~mask)


def write_index(directory, lines):
    """Writes `<directory>/facts.idx` atomically (a temporary file renamed into place)."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".facts.idx.")
    try:
        public_mode(fd)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(HEADER + "\n")
            for line in lines:
                out.write(line + "\n")
        os.replace(tmp, os.path.join(directory, "facts.idx"))
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def merge(directory, tu_paths=None):
    """Writes `<directory>/facts.idx` from the given per-TU files (default: all); returns the number of facts."""
    tu_dir = os.path.join(directory, "tu")
    if tu_paths is None:
        tu_paths = sorted(os.path.join(tu_dir, n) for n in os.listdir(tu_dir)
                          if n.endswith(".jsonl")) if os.path.isdir(tu_dir) else []
    lines = index_lines(p for p in map(read_tu, tu_paths) if p is not None)
    write_index(directory, lines)
    return len(lines)


def check_index(path):
    """Raises FactsError naming the line when `path` is not a store merge() could have written."""
    try:
        with open(path, "rb") as f:
            first = f.readline()
            if first.rstrip(b"\n") != HEADER.encode():
                raise FactsError("%s: not a leak-tidy facts store (the first line is not %r)" % (path, HEADER))
            prev = None
            for n, raw in enumerate(f, 2):
                if not raw.endswith(b"\n"):
                    raise FactsError("%s: line %d: truncated (no end of line)" % (path, n))
                line = raw[:-1]
                key, tab, text = line.partition(b"\t")
                if not tab or not key:
                    raise FactsError("%s: line %d: not <key><TAB><json>" % (path, n))
                try:
                    rec = json.loads(text.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    raise FactsError("%s: line %d: the record is not valid JSON" % (path, n))
                if not isinstance(rec, dict) or rec.get("key", key.decode("utf-8")) != key.decode("utf-8"):
                    raise FactsError("%s: line %d: the record does not hold its key" % (path, n))
                if prev is not None and line < prev:
                    raise FactsError("%s: line %d: not sorted (readers binary-search it)" % (path, n))
                prev = line
    except OSError as e:
        raise FactsError("%s: cannot read: %s" % (path, e.strerror or e))


def load_index(directory):
    """{key: [(json text, its "tu"), ...]} of `<directory>/facts.idx` in store order (for the driver's digests; the
    plugin never loads it all)."""
    index = {}
    try:
        with open(os.path.join(directory, "facts.idx"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or "\t" not in line:
                    continue
                key, text = line.rstrip("\n").split("\t", 1)
                try:
                    tu = json.loads(text).get("tu")
                except (ValueError, AttributeError):
                    tu = None
                index.setdefault(key, []).append((text, tu))
    except OSError:
        pass
    return index


def digest(index, key, tu):
    """The fingerprint of what TU `tu` reads about `key`: sha1 of the other TUs' lines, or "" when there are none."""
    texts = []
    for item in index.get(key, []):
        text, owner = item if isinstance(item, tuple) else (item, json.loads(item).get("tu"))
        if owner != tu:
            texts.append(text)
    if not texts:
        return ""
    return hashlib.sha1("".join(t + "\n" for t in texts).encode("utf-8")).hexdigest()


class Digests:
    """digest() over one loaded index, fast when many TUs ask about a key with many lines: the digest of a key
    for a TU that has no line about it is the same for all such TUs, computed once."""

    def __init__(self, index):
        self.index = index
        self.memo = {}

    def get(self, key, tu):
        items = self.index.get(key, [])
        if not items:
            return ""
        owners = self.memo.get((key, None))
        if owners is None:
            owners = self.memo[(key, None)] = {owner for _, owner in items}
        if tu in owners:
            return digest(self.index, key, tu)
        if key not in self.memo:
            self.memo[key] = hashlib.sha1("".join(t + "\n" for t, _ in items).encode("utf-8")).hexdigest()
        return self.memo[key]


class Store:
    """A store directory as leak-tidy-run uses it. `files` hashes files (deps.Files: sha256, memoised)."""

    def __init__(self, directory, files, version=None):
        self.dir = os.path.abspath(directory)
        self.idx = os.path.join(self.dir, "facts.idx")
        self.files = files
        self.version = version
        self.rewritten = False

    def prepare(self, create_empty=True):
        """Creates DIR/tu, checks that it is writable and that an existing facts.idx is a store; writes an empty
        store when there is none (so that phase 1 reads a closed world, as phase 2 does: see docs/ci.md)."""
        try:
            os.makedirs(os.path.join(self.dir, "tu"), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.join(self.dir, "tu"), prefix=".probe-")
            os.close(fd)
            os.unlink(tmp)
        except OSError as e:
            raise FactsError("facts directory %s: cannot write: %s" % (self.dir, e.strerror or e))
        if os.path.exists(self.idx):
            check_index(self.idx)
        elif create_empty:
            self._write([])

    def exists(self):
        return os.path.isfile(self.idx)

    def _write(self, lines):
        try:
            write_index(self.dir, lines)
        except OSError as e:
            raise FactsError("%s: cannot write: %s" % (self.idx, e.strerror or e))

    def fresh(self, header):
        """Whether a per-TU file's header still describes the sources: the same plugin version, and every file
        it read has the recorded sha256."""
        if self.version and header.get("version") not in (None, self.version):
            return False
        for f in header.get("files", []):
            if not isinstance(f, dict) or not isinstance(f.get("path"), str):
                return False
            if self.files.digest(f["path"]) != f.get("sha256"):
                return False
        return True

    def read(self, main_file):
        """parse_tu of the TU's per-TU file when it exists, is whole, is about `main_file` and is fresh; else None."""
        parsed = read_tu(tu_file(self.dir, main_file))
        if parsed is None or os.path.realpath(parsed[0]["tu"]) != main_file or not self.fresh(parsed[0]):
            return None
        return parsed

    def merge(self, tus):
        """{main file: parsed} -> writes facts.idx from their facts (when its content changes); returns the
        number of facts."""
        lines = index_lines(tus[t] for t in sorted(tus))
        text = HEADER + "\n" + "".join(line + "\n" for line in lines)
        try:
            with open(self.idx, encoding="utf-8") as f:
                same = f.read() == text
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            self._write(lines)
            self.rewritten = True
        return len(lines)

    def changed(self, tus):
        """The main files of `tus` ({main: parsed}) one of whose questions gets another answer from facts.idx."""
        digests = Digests(load_index(self.dir))
        out = []
        for main_file, parsed in tus.items():
            tu = parsed[0]["tu"]
            if any(digests.get(q.get("key"), tu) != q.get("seen") for q in parsed[2]):
                out.append(main_file)
        return sorted(out)

    def size(self):
        try:
            return os.path.getsize(self.idx)
        except OSError:
            return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "merge":
        n = merge(argv[1], argv[2:] or None)
        print("%d facts in %s" % (n, os.path.join(argv[1], "facts.idx")))
        return 0
    if len(argv) == 2 and argv[0] == "check":
        try:
            check_index(os.path.join(argv[1], "facts.idx"))
        except FactsError as e:
            sys.stderr.write("facts.py: error: %s\n" % e)
            return 2
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
