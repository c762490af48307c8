"""--code-quality FILE: GitLab Code Quality (a CodeClimate JSON array).

GitLab reads description, check_name, fingerprint, severity, location.path and
location.lines.begin (docs.gitlab.com/ci/testing/code_quality/); the other
CodeClimate fields (type, categories, content, other_locations) are filled too
for other CodeClimate consumers. The fingerprint is leak-tidy's
location-independent one (the baseline's), so a finding keeps it when lines
above it move, and GitLab shows it as unchanged."""
import json
import os

SEVERITY = {"leak-": "major"}


def severity(check):
    for prefix, sev in SEVERITY.items():
        if check.startswith(prefix):
            return sev
    return "minor"


def _rel(path, root):
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    return rel[2:] if rel.startswith("./") else rel


def issues(findings, root, docs_base):
    out = []
    for f in findings:
        body = "%s\n\nSee %s%s.md" % (f["message"], docs_base, f["check"]) if f["check"].startswith("leak-") \
            else f["message"]
        if f["notes"]:
            body += "\n\nPath:\n" + "\n".join("- %s:%d: %s" % (_rel(n["file"], root), n["line"], n["message"])
                                              for n in f["notes"])
        issue = {
            "type": "issue",
            "check_name": f["check"],
            "description": "%s [%s]" % (f["message"], f["check"]),
            "content": {"body": body},
            "categories": ["Bug Risk"],
            "fingerprint": f["fingerprint"],
            "severity": severity(f["check"]),
            "location": {"path": _rel(f["file"], root), "lines": {"begin": f["line"]}},
        }
        if f["notes"]:
            issue["other_locations"] = [{"path": _rel(n["file"], root), "lines": {"begin": n["line"]}}
                                        for n in f["notes"]]
        out.append(issue)
    return out


def write(path, findings, root, docs_base):
    with open(path, "w") as out:
        json.dump(issues(findings, root, docs_base), out, indent=1)
        out.write("\n")
