#!/usr/bin/env python3
"""python3 bench/facts_synth.py [DIR]: a synthetic store of 10,000 TUs, 21 facts and 11 questions each (the figure in docs/ci.md), in the plugin's
current per-TU format; times the driver's steps (read + freshness, merge, digest comparison, check of facts.idx)."""
import json, os, sys, time, hashlib, shutil  # noqa: E401
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from leaktidy import facts, deps
d = sys.argv[1] if len(sys.argv) > 1 else "/tmp/leak-facts-synth"; shutil.rmtree(d, ignore_errors=True); os.makedirs(d + "/tu"); os.makedirs(d + "/src")
N = 10000
hdr = d + "/src/common.h"; open(hdr, "w").write("// h\n")
hs = hashlib.sha256(open(hdr, "rb").read()).hexdigest()
for i in range(N):
    main = "%s/src/f%05d.cpp" % (d, i)
    open(main, "w").write("// %d\n" % i)
    ms = hashlib.sha256(open(main, "rb").read()).hexdigest()
    lines = [{"kind": "tu", "tu": main, "version": "0.1.0", "files": [{"path": hdr, "sha256": hs}, {"path": main, "sha256": ms}]}]
    for j in range(21):
        k = "c:@N@proj@F@func%05d#&1$@S@CString#" % ((i * 7 + j) % 3000)
        lines.append({"args": [False, True], "key": k, "kind": "call", "line": 10 + j, "lines": [10 + j, 0]})
    for j in range(11):
        lines.append({"kind": "question", "key": "c:@N@proj@F@func%05d#&1$@S@CString#" % ((i + j) % 3000), "seen": ""})
    open(facts.tu_file(d, main), "w").write("".join(json.dumps(l, sort_keys=True, separators=(",", ":")) + "\n" for l in lines))
st = facts.Store(d, deps.Files(), "0.1.0")
t = time.process_time(); tus = {}
for i in range(N):
    main = "%s/src/f%05d.cpp" % (d, i); p = st.read(main)
    if p: tus[main] = p
t1 = time.process_time(); n = st.merge(tus); t2 = time.process_time(); ch = st.changed(tus); t3 = time.process_time()
facts.check_index(st.idx); t4 = time.process_time()
tu_bytes = sum(os.path.getsize(os.path.join(d, "tu", f)) for f in os.listdir(d + "/tu"))
print("read+fresh %.1f s, merge %.1f s, digests %.1f s, check %.1f s; %d facts, facts.idx %d B (%.0f B/fact), per-TU files %d B; %d changed"
      % (t1 - t, t2 - t1, t3 - t2, t4 - t3, n, os.path.getsize(st.idx), os.path.getsize(st.idx) / n, tu_bytes, len(ch)))
