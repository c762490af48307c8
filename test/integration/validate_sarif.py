"""Checks a SARIF file against the SARIF 2.1.0 structure.

Always: the structural rules code scanning relies on (version, runs, tool
driver with rules, results with ruleId, message, physical locations with
region, related locations and code flows well-formed). And, when the official
JSON schema is available (LEAK_TIDY_SARIF_SCHEMA, or .cache/sarif-2.1.0.json
fetched by scripts/deps.sh from the npm registry), full schema validation with
python3-jsonschema. LEAK_TIDY_REQUIRE_SARIF_SCHEMA=1 makes its absence an
error (CI sets it).
"""
import json
import os
import sys


def structural(doc):
    errs = []
    def need(cond, what):
        if not cond:
            errs.append(what)
    need(doc.get("version") == "2.1.0", "version must be 2.1.0")
    runs = doc.get("runs")
    need(isinstance(runs, list) and runs, "runs must be a non-empty array")
    for run in runs or []:
        drv = run.get("tool", {}).get("driver", {})
        need(isinstance(drv.get("name"), str), "tool.driver.name")
        rules = drv.get("rules", [])
        ids = [r.get("id") for r in rules]
        need(all(isinstance(i, str) for i in ids), "every rule has an id")
        for r in rules:
            need("text" in r.get("shortDescription", {}), "rule %s shortDescription.text" % r.get("id"))
            if "helpUri" in r:
                need(":" in r["helpUri"], "rule helpUri is a URI")
        for res in run.get("results", []):
            need(res.get("ruleId") in ids, "result ruleId %r is a declared rule" % res.get("ruleId"))
            if "ruleIndex" in res:
                need(0 <= res["ruleIndex"] < len(rules) and rules[res["ruleIndex"]]["id"] == res["ruleId"],
                     "ruleIndex points at ruleId")
            need(isinstance(res.get("message", {}).get("text"), str), "result message.text")
            locs = res.get("locations", [])
            need(len(locs) >= 1, "result has a location")
            allocs = list(locs) + res.get("relatedLocations", [])
            for cf in res.get("codeFlows", []):
                for tf in cf.get("threadFlows", []):
                    need(len(tf.get("locations", [])) >= 1, "threadFlow has locations")
                    allocs += [tfl.get("location", {}) for tfl in tf.get("locations", [])]
            for l in allocs:
                pl = l.get("physicalLocation", {})
                need(isinstance(pl.get("artifactLocation", {}).get("uri"), str), "artifactLocation.uri")
                reg = pl.get("region", {})
                need(isinstance(reg.get("startLine"), int) and reg["startLine"] >= 1, "region.startLine >= 1")
    return errs


def schema_path():
    p = os.environ.get("LEAK_TIDY_SARIF_SCHEMA")
    if p and os.path.exists(p):
        return p
    here = os.path.dirname(os.path.abspath(__file__))
    p = os.path.join(here, "..", "..", ".cache", "sarif-2.1.0.json")
    return p if os.path.exists(p) else None


def validate(path):
    with open(path) as f:
        doc = json.load(f)
    errs = structural(doc)
    sp = schema_path()
    if sp:
        import jsonschema
        with open(sp) as f:
            schema = json.load(f)
        v = jsonschema.Draft7Validator(schema)
        errs += ["schema: %s at %s" % (e.message, "/".join(map(str, e.path))) for e in v.iter_errors(doc)]
    elif os.environ.get("LEAK_TIDY_REQUIRE_SARIF_SCHEMA") == "1":
        errs.append("the SARIF 2.1.0 JSON schema is not available (scripts/deps.sh fetches it)")
    return errs, bool(sp)


if __name__ == "__main__":
    errs, full = validate(sys.argv[1])
    if errs:
        print("\n".join(errs))
        sys.exit(1)
    print("sarif ok (%s)" % ("schema + structure" if full else "structure only"))
