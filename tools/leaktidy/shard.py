"""--shard K/N: a stable split of the TUs for N parallel CI jobs.

The TUs are ordered by a hash of their path relative to the project root (the
same order on every machine and checkout directory, and adding or removing a
TU moves only its neighbours), then the ordered list is cut into N runs of
about equal total source size: TU i goes to shard floor(N * m_i / total),
where m_i is the midpoint of its byte range. Every TU is in exactly one shard.
"""
import hashlib
import os


class ShardError(Exception):
    pass


def parse(spec):
    """'K/N' with 1 <= K <= N -> (K, N)."""
    try:
        k, n = (int(x) for x in spec.split("/"))
    except (ValueError, AttributeError):
        raise ShardError("--shard takes K/N (e.g. 2/4), not %r" % spec)
    if n < 1 or not 1 <= k <= n:
        raise ShardError("--shard %s: K must be between 1 and N" % spec)
    return k, n


def assign(paths, root, n):
    """{path: shard index 1..n} for every path."""
    def h(p):
        return hashlib.sha256(os.path.relpath(p, root).replace(os.sep, "/").encode()).hexdigest()

    def size(p):
        try:
            return max(1, os.path.getsize(p))
        except OSError:
            return 1

    order = sorted(paths, key=lambda p: (h(p), p))
    sizes = [size(p) for p in order]
    total = float(sum(sizes)) or 1.0
    out, before = {}, 0
    for p, s in zip(order, sizes):
        out[p] = min(n, int(n * (before + s / 2.0) / total) + 1)
        before += s
    return out


def select(targets, root, spec):
    k, n = parse(spec)
    which = assign([t[0] for t in targets], root, n)
    return [t for t in targets if which[t[0]] == k]
