"""Checks that the digests a TU's export recorded ("seen" of its question
lines) are what facts.py computes on the store: the plugin and the driver
agree on when an answer changed. Usage: check_digests.py SRC DIR MAIN"""
import os
import sys

sys.path.insert(0, os.path.join(sys.argv[1], "tools", "leaktidy"))
import facts  # noqa: E402

directory, main = sys.argv[2], os.path.abspath(sys.argv[3])
parsed = facts.read_tu(facts.tu_file(directory, main))
if parsed is None:
    sys.exit("no export for %s" % main)
index = facts.load_index(directory)
nonempty = 0
for q in parsed[2]:
    want = facts.digest(index, q["key"], main)
    if want != q["seen"]:
        sys.exit("digest of %s: plugin saw %r, facts.py computes %r" % (q["key"], q["seen"], want))
    nonempty += bool(want)
print("%d questions agree, %d with records of other TUs" % (len(parsed[2]), nonempty))
