"""Unit tests of leak-tidy-run's leaktidy package (pure Python, no clang):
make-rule parsing, git diff hunk parsing, the shard split, the -M command."""
import os, random, sys, tempfile
sys.path.insert(0, os.path.dirname(__file__))
from common import expect
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
from leaktidy import deps, diff, shard

# Make rules: continuations, escaped spaces, the target dropped.
got = deps.parse_make_deps("a.o: x.cpp /usr/include/a\\ b.h \\\n  y.h\\\n z.h\n")
expect(got == ["x.cpp", "/usr/include/a b.h", "y.h", "z.h"], "make rule parsed", str(got))

# The -M command: outputs and dependency-file options dropped, -M added.
argv = ["/usr/bin/g++", "-Iinc", "-MD", "-MT", "t.o", "-MF", "t.d", "-o", "t.o", "-c", "t.cpp", "-MFother.d"]
got = deps.preprocessor_argv(argv, None, ["-DX"])
expect(got == ["/usr/bin/g++", "-Iinc", "t.cpp", "-DX", "-w", "-M"], "preprocessor argv", str(got))

# git diff -U0 hunks: added/modified lines of the new file; pure deletions none.
text = """diff --git a/a.cpp b/a.cpp
--- a/a.cpp
+++ b/a.cpp
@@ -3,0 +4,2 @@ void f()
+x
+y
@@ -10 +12 @@
-old
+new
@@ -20,2 +21,0 @@
-gone
-gone
diff --git a/gone.h b/gone.h
--- a/gone.h
+++ /dev/null
@@ -1 +0,0 @@
-x
"""
got = diff.parse_unified(text, "/top")
expect(got == {"/top/a.cpp": {4, 5, 12}}, "hunks parsed", str(got))
expect(diff.keep_finding({"file": "/top/a.cpp", "line": 30, "notes": [{"file": "/top/a.cpp", "line": 5}]}, got),
       "a note on a changed line keeps the finding")
expect(not diff.keep_finding({"file": "/top/a.cpp", "line": 30, "notes": [{"file": "/top/b.cpp", "line": 5}]}, got),
       "a finding off the changed lines is dropped")

# Shards: every file in exactly one, balanced by size, stable when a file is added.
tmp = tempfile.mkdtemp()
rnd = random.Random(1)
files = []
for i in range(200):
    p = os.path.join(tmp, "d%d" % (i % 7), "f%d.cpp" % i)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "w").write("x" * rnd.randint(1000, 30000))
    files.append(p)
for n in (1, 2, 3, 5, 8):
    a1 = shard.assign(files, tmp, n)
    expect(set(a1) == set(files) and set(a1.values()) <= set(range(1, n + 1)), "each file in one of %d shards" % n)
    sizes = [sum(os.path.getsize(f) for f in files if a1[f] == k) for k in range(1, n + 1)]
    total = sum(sizes)
    expect(max(sizes) <= total / n + 30000 and min(sizes) >= total / n - 30000, "balanced: %s" % sizes)
    extra = os.path.join(tmp, "d3", "new.cpp")
    open(extra, "w").write("x" * 15000)
    a2 = shard.assign(files + [extra], tmp, n)
    moved = [f for f in files if a1[f] != a2[f]]
    expect(len(moved) <= 2 * (n - 1), "adding a file moves only files at the cuts (%d moved, N=%d)" % (len(moved), n))
    os.remove(extra)
    # Another checkout directory: the same split.
    other = tmp + "-copy"
    if not os.path.exists(other):
        import shutil
        shutil.copytree(tmp, other)
    a3 = shard.assign([f.replace(tmp, other, 1) for f in files], other, n)
    expect(all(a3[f.replace(tmp, other, 1)] == a1[f] for f in files), "the split does not depend on the checkout path")
for bad in ("0/2", "3/2", "x", "1/0", "1-2"):
    try:
        shard.parse(bad)
        expect(False, "--shard %s is rejected" % bad)
    except shard.ShardError:
        pass
print("leaktidy unit test ok")
