"""leak-tidy-run with project facts (docs/ci.md, "Project facts: two phases").

Phase 1 checks every TU as before and, in the same clang-tidy process, exports the TU's facts and the questions it
asked the store (the plugin reads the directory and the export switch from the environment, so the user's
.clang-tidy files are untouched). The fresh per-TU files of the TUs in the compile database are merged into
facts.idx. Phase 2 checks again only the TUs one of whose questions now gets another answer; their output replaces
phase 1's. A partial run (files named, --diff, --shard) uses the existing store: it first refreshes the facts of
the database's TUs whose per-TU file is stale (a file it read changed), with their output discarded.
"""
import hashlib
import os
import sys
import tempfile

from . import facts as factsmod

ROUNDS = 3  # phase 2 again while a re-checked TU's own facts changed (they come from its AST: in practice once)


def environment(facts):
    """The environment of one clang-tidy run: None (inherit) without facts."""
    if not facts:
        return None
    env = dict(os.environ)
    env["LEAK_TIDY_PROJECT_FACTS"] = facts["dir"]
    if facts.get("export"):
        env["LEAK_TIDY_EXPORT_FACTS"] = "1"
    else:
        env.pop("LEAK_TIDY_EXPORT_FACTS", None)
    return env


def cache_mode(facts):
    """What the cache key adds: a run that exports is checked again by digests (phase 2), so the store's state is
    not part of its key; a run that only reads the store is keyed by the store's content."""
    return "export" if facts.get("export") else "read:" + facts.get("store_sha", "")


def tu_path(facts, main_file):
    return factsmod.tu_file(facts["dir"], main_file)


def remove_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def file_identity(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def exported_text(facts, main_file):
    """The text of the per-TU file a run just wrote, or None."""
    try:
        with open(tu_path(facts, main_file), encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def restore(facts, main_file, text, files):
    """Puts a cache hit's per-TU file in place: None when it cannot be used (torn, stale, unwritable), False when
    the file there is already the same, True when it was (re)written."""
    path = tu_path(facts, main_file)
    if text is None:
        if os.path.exists(path):
            remove_quietly(path)
            return True
        return False
    parsed = factsmod.parse_tu(text)
    store = factsmod.Store(facts["dir"], files, facts.get("version"))
    if parsed is None or not store.fresh(parsed[0]):
        return None
    if exported_text(facts, main_file) == text:
        return False
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".restore-")
        factsmod.public_mode(fd)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        return None
    return True


def sha256_of(path):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return ""


class Stats:
    def __init__(self):
        self.refreshed = self.rechecked = self.facts = self.tus = self.rounds = 0
        self.refresh_failed = []


def _read_all(store, mains):
    out = {}
    for f in mains:
        parsed = store.read(f)
        if parsed is not None:
            out[f] = parsed
    return out


def run(targets, db_files, compdb_dir, store, partial, batch, version, progress=True):
    """Runs the phases. `targets` [(file, compdb dir or None)]; `batch(jobs, label)` runs [(file, dir, facts)] and
    returns {file: (rc, output, cmd)}. Returns ({file: (rc, output, cmd)} of the targets, Stats)."""
    st = Stats()
    db = set(db_files)
    export = {"dir": store.dir, "export": True, "version": version}
    own = [t for t in targets if t[0] in db]
    later = [t for t in targets if t[0] not in db]  # fallback flags: not in the store; read it after the merge
    refresh = []
    if partial:
        named = {t[0] for t in own}
        # Stale (or torn, or of another version): refreshed, never trusted. A TU without a per-TU file exported
        # nothing in the last run (or is new since): it has no facts in the store, none to refresh.
        refresh = [f for f in db_files if f not in named and os.path.isfile(factsmod.tu_file(store.dir, f))
                   and store.read(f) is None]
    jobs = [(f, d, export) for f, d in own]
    results = batch(jobs, "") if jobs else {}
    if refresh:
        if progress:
            sys.stderr.write("leak-tidy-run: project facts: refresh %d TUs whose facts are stale "
                             "(their findings are not shown)\n" % len(refresh))
        batch([(f, compdb_dir, export) for f in refresh], "facts ")
        st.refreshed = len(refresh)
        st.refresh_failed = sorted(f for f in refresh if store.read(f) is None)
    tus = _read_all(store, db_files)
    st.facts, st.tus = store.merge(tus), len(tus)
    own_files = [t[0] for t in own]
    read_only = [(f, d, {"dir": store.dir, "export": False, "store_sha": ""}) for f, d in later]
    while st.rounds < ROUNDS:
        again = store.changed({f: tus[f] for f in own_files if f in tus})
        jobs = [(f, compdb_dir, dict(export, recheck=True)) for f in again]
        if not jobs:
            break
        st.rounds += 1
        if progress:
            sys.stderr.write("leak-tidy-run: project facts: re-check %d TUs (%d facts from %d TUs; an answer they "
                             "read changed)\n" % (len(jobs), st.facts, st.tus))
        results.update(batch(jobs, "re-check "))
        st.rechecked += len(jobs)
        now = _read_all(store, again)
        changed_facts = any(factsmod.index_lines([now[f]]) != factsmod.index_lines([tus[f]])
                            for f in again if f in now and f in tus) or set(now) != set(again) & set(tus)
        tus.update(now)
        for f in set(again) - set(now):
            tus.pop(f, None)
        if not changed_facts:
            break
        st.facts, st.tus = store.merge(tus), len(tus)
    if read_only:
        sha = sha256_of(store.idx)
        for job in read_only:
            job[2]["store_sha"] = sha
        results.update(batch(read_only, ""))
    return results, st
