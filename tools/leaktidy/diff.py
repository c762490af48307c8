"""--diff REF: the lines a change touches, the TUs it affects, the findings it adds.

Changed lines are those `git diff $(git merge-base REF HEAD)` (the working
tree, staged or not, against the fork point of REF) marks as added or modified, plus every line of untracked files.
Lines only deleted touch no line of the new file (as in clang-tidy-diff.py)."""
import os
import re
import subprocess

HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
WHOLE = None  # "every line" of a file


class DiffError(Exception):
    pass


def _git(root, args):
    try:
        p = subprocess.run(["git", "-C", root, "-c", "core.quotePath=false"] + args,
                           capture_output=True, text=True, errors="replace")
    except OSError as e:
        raise DiffError("cannot run git: %s" % e)
    if p.returncode != 0:
        raise DiffError("git %s: %s" % (" ".join(args), p.stderr.strip() or "exit %d" % p.returncode))
    return p.stdout


def parse_unified(text, top):
    """{realpath: set of new-file line numbers} from `git diff -U0` output."""
    changed, cur = {}, None
    for line in text.splitlines():
        if line.startswith("+++ "):
            name = line[4:].rstrip("\t")
            if name == "/dev/null":
                cur = None
            else:
                cur = os.path.realpath(os.path.join(top, name[2:] if name.startswith("b/") else name))
                changed.setdefault(cur, set())
            continue
        m = HUNK_RE.match(line)
        if m and cur is not None:
            start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
            changed[cur].update(range(start, start + count))
    return changed


def changed_lines(root, ref):
    top = _git(root, ["rev-parse", "--show-toplevel"]).strip()
    _git(root, ["rev-parse", "--verify", "--quiet", ref + "^{commit}"])
    # Against the fork point, as a pull request's diff: when REF moved on
    # since HEAD branched off, its new commits are not this change.
    base = _git(top, ["merge-base", ref, "HEAD"]).strip()
    text = _git(top, ["diff", "--no-color", "--no-ext-diff", "-U0", base, "--"])
    changed = parse_unified(text, top)
    for name in _git(top, ["ls-files", "--others", "--exclude-standard", "-z"]).split("\0"):
        if name:
            changed[os.path.realpath(os.path.join(top, name))] = WHOLE
    return changed


def on_changed_line(loc, changed):
    lines = changed.get(loc["file"], False)
    if lines is False:
        return False
    return lines is WHOLE or loc["line"] in lines


def keep_finding(f, changed):
    """A finding stays when its location or one of its notes is on a changed line."""
    return on_changed_line(f, changed) or any(on_changed_line(n, changed) for n in f["notes"])


def affected(targets, changed, deps_of):
    """The targets whose source or one of whose dependencies changed.
    deps_of(file) -> list of realpaths, or None when unknown (then the TU is
    kept: better one TU too many than a finding missed)."""
    out = []
    for t in targets:
        f = t[0]
        if f in changed:
            out.append(t)
            continue
        d = deps_of(t)
        if d is None or any(x in changed for x in d):
            out.append(t)
    return out
