"""--merge-sarif A.sarif B.sarif ...: join the SARIF files of shard jobs.

Findings are read back from each file's results (location, message, rule, the
notes from relatedLocations), each finding seen by several shards (a header's)
is kept once, fingerprints are recomputed over the whole set when the sources
are there (the occurrence index of identical findings in a file must count
all shards) and kept from the SARIF otherwise; then the caller applies the
baseline and writes the reports, as after a lint."""
import json
import os
from urllib.parse import unquote, urlparse


class MergeError(Exception):
    pass


def _path(loc, root):
    """Relative URIs (to %SRCROOT%) are taken relative to the merge's root:
    shards checked out at other paths still name the same files."""
    uri = loc["physicalLocation"]["artifactLocation"]["uri"]
    if uri.startswith("file:"):
        return os.path.realpath(unquote(urlparse(uri).path))
    return os.path.realpath(os.path.join(root, unquote(uri)))


def _loc(loc, root, message):
    region = loc["physicalLocation"].get("region", {})
    return {"file": _path(loc, root), "line": int(region.get("startLine", 1)),
            "col": int(region.get("startColumn", 1)), "message": message}


def read(paths, root):
    """The findings of every SARIF file, each once, sorted."""
    findings, seen = [], set()
    for p in paths:
        try:
            with open(p) as f:
                doc = json.load(f)
            runs = doc["runs"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise MergeError("cannot read SARIF %s: %s" % (p, e))
        for run in runs:
            for r in run.get("results", []):
                try:
                    f = _loc(r["locations"][0], root, r["message"]["text"])
                    f["check"] = r["ruleId"]
                    f["notes"] = [_loc(n, root, n.get("message", {}).get("text", ""))
                                  for n in r.get("relatedLocations", [])]
                    fp = r.get("partialFingerprints", {}).get("leakTidyFingerprint/v1")
                except (KeyError, IndexError, TypeError, ValueError) as e:
                    raise MergeError("%s: a result without a location, message or rule (%s)" % (p, e))
                key = (f["file"], f["line"], f["col"], f["check"], f["message"])
                if key in seen:
                    continue
                seen.add(key)
                f["sarif_fingerprint"] = fp
                findings.append(f)
    findings.sort(key=lambda f: (f["file"], f["line"], f["col"], f["check"]))
    return findings


def root_of(paths):
    """The %SRCROOT% of the first SARIF file that names one."""
    for p in paths:
        try:
            with open(p) as f:
                for run in json.load(f).get("runs", []):
                    base = run.get("originalUriBaseIds", {}).get("%SRCROOT%")
                    if base:
                        return os.path.realpath(unquote(urlparse(base["uri"]).path))
        except (OSError, ValueError, AttributeError):
            continue
    return None


def refingerprint(findings, root, fingerprint_all):
    """Fingerprints over the merged set; a finding whose source is not here
    keeps the one its shard computed."""
    fingerprint_all(findings, root)
    for f in findings:
        if not os.path.isfile(f["file"]) and f.get("sarif_fingerprint"):
            f["fingerprint"] = f["sarif_fingerprint"]
