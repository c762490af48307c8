"""Unit tests of tools/leaktidy/facts.py (pure Python, per-TU files written by hand as the contract describes):
the merge (sorted, only the given TUs' facts, no question lines), the digest (the other TUs' lines only, "" for
none), freshness (a changed file or another version makes a per-TU file stale), the checks of a facts.idx, and
which TUs' answers changed."""
import hashlib, json, os, sys, tempfile
sys.path.insert(0, os.path.dirname(__file__))
from common import expect
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
from leaktidy import deps, facts

tmp = tempfile.mkdtemp()
d = os.path.join(tmp, "store")
os.makedirs(os.path.join(d, "tu"))
src = {n: os.path.join(tmp, n + ".cpp") for n in ("a", "b", "c")}
for n, p in src.items():
    open(p, "w").write("// %s\n" % n)


def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()


def write_tu(main, fact_list, questions=(), version="1.0", files=None):
    lines = [{"kind": "tu", "tu": main, "version": version,
              "files": files if files is not None else [{"path": main, "sha256": sha(main)}]}]
    lines += [dict(f, tu=main) for f in fact_list]
    lines += [{"kind": "question", "key": k, "seen": s} for k, s in questions]
    path = facts.tu_file(d, main)
    open(path, "w").write("".join(json.dumps(x) + "\n" for x in lines))
    return path


fa = {"key": "c:@registry", "kind": "container", "file": src["a"], "line": 3, "grows": "runtime"}
fb = {"key": "c:@registry", "kind": "container", "file": src["b"], "line": 7, "shrinks": True}
fz = {"key": "c:@F@zz", "kind": "function", "file": src["b"], "line": 1, "waits": False}
pa = write_tu(src["a"], [fa], [("c:@registry", "")])
pb = write_tu(src["b"], [fb, fz])

# Merge: header, sorted bytewise by the whole line, compact JSON with sorted keys, no tu/question lines.
expect(facts.merge(d, [pa, pb]) == 3, "3 facts merged")
lines = open(os.path.join(d, "facts.idx")).read().splitlines()
expect(lines[0] == facts.HEADER and len(lines) == 4, "header + 3 lines", "\n".join(lines))
expect(lines[1:] == sorted(lines[1:], key=lambda s: s.encode()), "sorted bytewise", "\n".join(lines))
expect(all(l.split("\t", 1)[1] == json.dumps(json.loads(l.split("\t", 1)[1]), sort_keys=True, separators=(",", ":"))
           for l in lines[1:]), "compact JSON with sorted keys")
expect(not any('"question"' in l or '"kind":"tu"' in l for l in lines), "no question or tu lines")
facts.check_index(os.path.join(d, "facts.idx"))  # what merge writes is a valid store
mask = os.umask(0o022)
facts.merge(d, [pa, pb])
os.umask(mask)
expect(os.stat(os.path.join(d, "facts.idx")).st_mode & 0o777 == 0o644, "facts.idx is readable by all (umask 022)")

# Digest: the lines of OTHER TUs about the key, in store order; "" when none.
index = facts.load_index(d)
b_line = [l.split("\t", 1)[1] for l in lines if '"shrinks"' in l][0]
expect(facts.digest(index, "c:@registry", src["a"]) == hashlib.sha1((b_line + "\n").encode()).hexdigest(),
       "a's digest of the registry is b's line only")
expect(facts.digest(index, "c:@F@zz", src["b"]) == "", "a key only the asking TU has: empty digest")
expect(facts.digest(index, "c:@nothing", src["a"]) == "", "an unknown key: empty digest")
both = [l.split("\t", 1)[1] for l in lines if l.startswith("c:@registry\t")]
expect(facts.digest(index, "c:@registry", src["c"]) == hashlib.sha1("".join(t + "\n" for t in both).encode())
       .hexdigest(), "a third TU sees both lines, in store order")

# Digests (the driver's fast path) agree with digest() for every TU, with and without lines of its own.
dg = facts.Digests(index)
for key in ("c:@registry", "c:@F@zz", "c:@nothing"):
    for tu in (src["a"], src["b"], src["c"], src["a"]):
        expect(dg.get(key, tu) == facts.digest(index, key, tu), "Digests.get(%s, %s) == digest()" % (key, tu))

# Store: fresh only; changed answers.
files = deps.Files()
st = facts.Store(d, files, "1.0")
expect(st.read(src["a"]) is not None and st.read(src["c"]) is None, "a is fresh, c has no per-TU file")
expect(st.changed({src["a"]: st.read(src["a"])}) == [src["a"]], "a asked with '' but now b answers: changed")
write_tu(src["a"], [fa], [("c:@registry", facts.digest(index, "c:@registry", src["a"]))])
expect(st.changed({src["a"]: facts.Store(d, deps.Files(), "1.0").read(src["a"])}) == [],
       "a asked with today's digest: unchanged")
open(src["b"], "a").write("// edited\n")
expect(facts.Store(d, deps.Files(), "1.0").read(src["b"]) is None, "b's file changed: its per-TU file is stale")
expect(facts.Store(d, deps.Files(), "2.0").read(src["a"]) is None, "another plugin version: stale")
write_tu(src["c"], [], files=[{"path": src["c"], "sha256": sha(src["c"])}, {"path": os.path.join(tmp, "gone.h"),
                                                                           "sha256": "00"}])
expect(facts.Store(d, deps.Files(), "1.0").read(src["c"]) is None, "a file it read is gone: stale")
open(facts.tu_file(d, src["c"]), "w").write('{"kind":"tu","tu":"%s","files":[]}\n{"key": tor' % src["c"])
expect(facts.read_tu(facts.tu_file(d, src["c"])) is None, "a torn per-TU file is not read")
st2 = facts.Store(d, deps.Files(), "1.0")
n = st2.merge({src["a"]: st2.read(src["a"])})
expect(n == 1 and st2.rewritten, "Store.merge of the fresh TU only: a's fact")
st3 = facts.Store(d, deps.Files(), "1.0")
st3.merge({src["a"]: st3.read(src["a"])})
expect(not st3.rewritten, "the same content: facts.idx not rewritten")

# check_index: each kind of damage is named with its line.
idx = os.path.join(tmp, "bad.idx")
for text, want in [("", "not a leak-tidy facts store"), ("#leak-tidy-facts 2\n", "not a leak-tidy facts store"),
                   (facts.HEADER + "\nk\t{\"key\":\"k\"}", "line 2: truncated"),
                   (facts.HEADER + "\nnotab\n", "line 2: not <key><TAB><json>"),
                   (facts.HEADER + "\nk\t{bad\n", "line 2: the record is not valid JSON"),
                   (facts.HEADER + "\nk\t{\"key\":\"j\"}\n", "line 2: the record does not hold its key"),
                   (facts.HEADER + "\nz\t{\"key\":\"z\"}\na\t{\"key\":\"a\"}\n", "line 3: not sorted")]:
    open(idx, "w").write(text)
    try:
        facts.check_index(idx)
        expect(False, "check_index accepts %r" % text)
    except facts.FactsError as e:
        expect(want in str(e), "check_index on %r says %r (got %s)" % (text, want, e))
print("facts unit test ok")
