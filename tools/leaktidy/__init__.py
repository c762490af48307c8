"""leak-tidy-run's CI features (issue 20): the result cache, --diff, --shard,
--merge-sarif, --html and --code-quality. leak-tidy-run parses the options
with add_arguments() and calls a Runner at a few places of its run; see
docs/ci.md for what each feature does."""
import concurrent.futures
import json
import os
import subprocess
import sys
import threading
import time

from . import cache as cachemod
from . import codequality, deps as depsmod, twophase, diff as diffmod, html_report, merge as mergemod, shard as shardmod


def add_arguments(ap):
    g = ap.add_argument_group("CI at scale (docs/ci.md)")
    g.add_argument("--cache-dir", help="result cache directory (default: BUILD_DIR/leak-tidy-cache)")
    g.add_argument("--no-cache", action="store_true", help="lint every TU; neither read nor write the cache")
    g.add_argument("--diff", metavar="GIT_REF",
                   help="lint only the TUs the change since GIT_REF affects and report only the findings on "
                        "changed lines (the warning's line or one of its notes')")
    g.add_argument("--shard", metavar="K/N", help="lint only the K-th of N stable, size-balanced parts of the TUs")
    g.add_argument("--merge-sarif", nargs="+", metavar="SARIF",
                   help="lint nothing: join these SARIF files (of --shard jobs), then apply --baseline and "
                        "write -o/--html/--code-quality")
    g.add_argument("-o", "--output", help="with --merge-sarif: the joined SARIF file")
    g.add_argument("--html", metavar="DIR", help="also write a static HTML report into DIR")
    g.add_argument("--code-quality", metavar="FILE", help="also write GitLab Code Quality (CodeClimate JSON)")


def usage_error(msg):
    sys.stderr.write("leak-tidy-run: error: %s\n" % msg)
    sys.exit(2)


def _crashed(rc, out):
    return rc < 0 or rc > 128 or "Stack dump:" in out


class Runner:
    """The per-run state of the CI features: wraps run_one with the cache,
    selects the targets, filters the findings, writes the extra reports."""

    def __init__(self, a, tool, compdb, run_one):
        self.a, self.tool, self.run_one = a, tool, run_one
        self.files = depsmod.Files()
        self.entries = depsmod.load_entries(compdb) if compdb else {}
        self.changed = None
        self.lock = threading.Lock()
        self.cache = None
        self.clang = None
        self.facts_exported = self.facts_restored = 0
        directory = a.cache_dir or (os.path.join(os.path.dirname(compdb), "leak-tidy-cache") if compdb else None)
        if a.diff or (directory and not a.no_cache):
            version = self._version()
            self.clang = depsmod.find_clang(version)
        if directory and not a.no_cache:
            self.cache = cachemod.Cache(directory, cachemod.tool_identity(tool, version, self.files), self.files)

    def _version(self):
        try:
            p = subprocess.run([self.tool, "--version"], capture_output=True, text=True, errors="replace")
        except OSError as e:
            usage_error("cannot run %s --version: %s" % (self.tool, e))
        return p.stdout + p.stderr

    def _commands(self, f, d):
        if d is not None and f in self.entries:
            return self.entries[f]
        return [(os.getcwd(), ["clang-tool"] + self._fallback + [f])]

    def _ckey(self, f, d):
        return self.cache.command_key(f, self._commands(f, d), self._options)

    def _deps(self, target):
        """The files a target reads now: the manifest's list when the cache
        holds a result for their current contents, else from the
        preprocessor (None when it fails)."""
        f, d = target
        if self.cache:
            hit, deps = self.cache.lookup(self._ckey(f, d))
            if hit is not None:
                return deps
        return depsmod.dependencies(self._commands(f, d), self.clang, self.a.extra_arg, self.files)

    def select(self, targets, root, checks, extra, fallback):
        """--shard, then --diff (over this shard's TUs only)."""
        self._fallback = list(fallback)
        self._options = {"checks": checks, "extra": list(extra)}
        if self.a.shard:
            try:
                targets = shardmod.select(targets, root, self.a.shard)
            except shardmod.ShardError as e:
                usage_error(str(e))
        if self.a.diff:
            try:
                self.changed = diffmod.changed_lines(root, self.a.diff)
            except diffmod.DiffError as e:
                usage_error("--diff %s: %s" % (self.a.diff, e))
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, self.a.j)) as ex:
                rest = [t for t in targets if t[0] not in self.changed]
                deps = dict(zip(rest, ex.map(self._deps, rest)))
            targets = diffmod.affected(targets, self.changed, lambda t: deps[t])
        return targets

    def lint(self, tool, f, d, checks, extra, fallback, facts=None):
        """run_one, through the cache. On a miss the TU's dependency list
        (system headers too) comes from the preprocessor, and the result is
        stored under it. (clang-tidy cannot write it itself: its argument
        adjusters strip -MT, and cc1's -dependency-file without a target is
        an error.) `facts` (None: off) says where the project facts store is
        and whether this run exports the TU's facts (leaktidy.twophase)."""
        env = twophase.environment(facts)
        if not self.cache:
            return self._run(tool, f, d, checks, extra, fallback, facts, env)[0]
        started = time.time()
        ckey = self.cache.command_key(f, self._commands(f, d), dict(self._options, facts=twophase.cache_mode(facts))
                                      if facts else self._options)
        # Phase 2 runs a TU whose phase-1 result (just stored) read other answers: not from the cache.
        hit = None if facts and facts.get("recheck") else self.cache.lookup(ckey)[0]
        if hit is not None and self._facts_of_hit(hit, f, facts):
            with self.lock:
                self.cache.hits += 1
            return f, hit["rc"], hit["output"], hit["cmd"]
        (f, rc, out, cmd), exported = self._run(tool, f, d, checks, extra, fallback, facts, env)
        deps = None
        if not _crashed(rc, out):
            # None when the preprocessor fails (a missing header): not stored.
            deps = depsmod.dependencies(self._commands(f, d), self.clang, self.a.extra_arg, self.files)
        self.cache.store(ckey, deps, started, rc, out, cmd, exported)
        with self.lock:
            self.cache.misses += 1
        return f, rc, out, cmd

    def _run(self, tool, f, d, checks, extra, fallback, facts, env):
        """(run_one's result, the text of the per-TU file this run wrote:
        None when it wrote none, False when it does not export)."""
        if not facts or not facts.get("export"):
            return self.run_one(tool, f, d, checks, extra, fallback, env=env), False
        with self.lock:
            self.facts_exported += 1
        # The plugin replaces the file by a rename: another inode or time
        # means this run wrote it (the old one stays if it wrote none).
        before = twophase.file_identity(twophase.tu_path(facts, f))
        result = self.run_one(tool, f, d, checks, extra, fallback, env=env)
        after = twophase.file_identity(twophase.tu_path(facts, f))
        if after and after != before:
            return result, twophase.exported_text(facts, f)
        if after:  # an earlier run's: not what this configuration exports
            twophase.remove_quietly(twophase.tu_path(facts, f))
        return result, None

    def _facts_of_hit(self, hit, f, facts):
        """A hit is usable when it carries the facts its run exported and they
        are fresh; they are put back in the store directory if they are not
        there (no clang-tidy run: nothing is re-exported)."""
        if not facts or not facts.get("export"):
            return True
        if "facts" not in hit:
            return False
        restored = twophase.restore(facts, f, hit["facts"], self.files)
        if restored is None:
            return False
        if restored:
            with self.lock:
                self.facts_restored += 1
        return True

    def changed_only(self, findings):
        if self.changed is None:
            return findings
        return [f for f in findings if diffmod.keep_finding(f, self.changed)]

    def reports(self, findings, root, docs_base):
        write_reports(self.a, findings, root, docs_base)

    def summary(self):
        s = ""
        if self.cache:
            s += ", %d linted, %d from the cache" % (self.cache.misses, self.cache.hits)
            if self.cache.write_error:
                s += " (cache not written: %s)" % self.cache.write_error
        if self.changed is not None:
            s += " (--diff %s: %d changed files)" % (self.a.diff, len(self.changed))
        return s


def write_reports(a, findings, root, docs_base):
    if a.html:
        html_report.write(a.html, findings, root, docs_base)
    if a.code_quality:
        codequality.write(a.code_quality, findings, root, docs_base)


def load_baseline(path):
    """The fingerprints of a baseline file, or None (after a message) when it
    cannot be read."""
    try:
        with open(path) as fh:
            return {e["fingerprint"] for e in json.load(fh).get("findings", [])}
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as e:
        sys.stderr.write("leak-tidy-run: cannot read baseline %s: %s\n" % (path, e))
        return None


def merge_main(a, helpers):
    """leak-tidy-run --merge-sarif: helpers are leak-tidy-run's functions
    fingerprint_all, to_sarif and print_finding."""
    if a.files or a.diff or a.shard:
        usage_error("--merge-sarif takes SARIF files only (no source files, --diff or --shard)")
    root = os.path.realpath(a.root) if a.root else mergemod.root_of(a.merge_sarif) or os.getcwd()
    try:
        findings = mergemod.read(a.merge_sarif, root)
    except mergemod.MergeError as e:
        usage_error(str(e))
    mergemod.refingerprint(findings, root, helpers["fingerprint_all"])
    new = findings
    if a.baseline:
        base = load_baseline(a.baseline)
        if base is None:
            return 2
        new = [f for f in findings if f["fingerprint"] not in base]
    for f in new:
        helpers["print_finding"](f, sys.stdout)
    out = a.output or a.sarif
    if out:
        with open(out, "w") as fh:
            json.dump(helpers["to_sarif"](new, root, a.docs_base_uri), fh, indent=1)
            fh.write("\n")
    write_reports(a, new, root, a.docs_base_uri)
    summary = "leak-tidy-run: merged %d SARIF files: %d findings" % (len(a.merge_sarif), len(findings))
    if a.baseline:
        summary += ", %d new (not in %s)" % (len(new), a.baseline)
    sys.stderr.write(summary + "\n")
    return 1 if new else 0
