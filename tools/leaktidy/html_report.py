"""--html DIR: a static report (plain files, no script, no network).

DIR/index.html: the counts by check (with a link to each check's page) and by
file, then the findings grouped both ways. DIR/findings/N.html: one finding,
its path (the warning, then each note) as a numbered list, and the source
around every step, each step's message shown right under its line."""
import html
import os

CONTEXT = 4
STYLE = """
body{font-family:sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em}
table{border-collapse:collapse}
td,th{padding:2px 8px;text-align:left}
table.counts td,table.counts th{border-bottom:1px solid #ddd}
table.src{font-family:monospace;font-size:13px;width:100%;margin-bottom:1em}
table.src td.ln{color:#888;text-align:right;width:4em;user-select:none}
table.src td.code{white-space:pre}
tr.hit td.code{background:#fff3c4}
tr.ann td.msg{white-space:normal;font-family:sans-serif;padding:3px 8px}
tr.ann.warning td.msg{background:#fbd5d5;border-left:4px solid #c00}
tr.ann.note td.msg{background:#dbe8fb;border-left:4px solid #36c}
tr.gap td{color:#888}
span.step{display:inline-block;min-width:1.4em;font-weight:bold}
"""


def _e(s):
    return html.escape(str(s), quote=True)


def _page(title, body):
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>%s</title>\n"
            "<style>%s</style></head>\n<body>\n%s\n</body></html>\n" % (_e(title), STYLE, body))


def docs_link(check, docs_base):
    if check.startswith("leak-"):
        return "%s%s.md" % (docs_base, check)
    if check.startswith("clang-diagnostic-"):
        return "https://clang.llvm.org/docs/DiagnosticsReference.html"
    if check.startswith("clang-analyzer-"):
        return "https://clang.llvm.org/extra/clang-tidy/checks/clang-analyzer/%s.html" % check[15:]
    group, _, rest = check.partition("-")
    return "https://clang.llvm.org/extra/clang-tidy/checks/%s/%s.html" % (group, rest)


def _display(path, root):
    rel = os.path.relpath(path, root)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def _read(path, cache):
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                cache[path] = f.read().splitlines()
        except OSError:
            cache[path] = []
    return cache[path]


def _steps(f):
    """The finding's path: the warning, then its notes, numbered from 1."""
    steps = [dict(f, kind="warning", n=1)]
    steps += [dict(n, kind="note", n=i + 2) for i, n in enumerate(f["notes"])]
    return steps


def _ranges(lines, nlines):
    out = []
    for ln in sorted(set(lines)):
        lo, hi = max(1, ln - CONTEXT), min(max(nlines, ln), ln + CONTEXT)
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return out


def _source_block(path, steps, root, cache, fid):
    src = _read(path, cache)
    by_line = {}
    for s in steps:
        by_line.setdefault(s["line"], []).append(s)
    name = _display(path, root)
    rows = []
    for i, (lo, hi) in enumerate(_ranges(by_line, len(src))):
        if i:
            rows.append('<tr class="gap"><td class="ln">&hellip;</td><td></td></tr>')
        for ln in range(lo, hi + 1):
            text = src[ln - 1] if ln <= len(src) else ""
            hit = " hit" if ln in by_line else ""
            rows.append('<tr class="line%s" id="%s-L%d" data-line="%d"><td class="ln">%d</td>'
                        '<td class="code">%s</td></tr>' % (hit, fid, ln, ln, ln, _e(text)))
            for s in by_line.get(ln, []):
                rows.append('<tr class="ann %s" id="step-%d" data-step="%d" data-file="%s" data-line="%d">'
                            '<td class="ln"></td><td class="msg"><span class="step">%d</span> %s: %s '
                            '<small>(col %d)</small></td></tr>'
                            % (s["kind"], s["n"], s["n"], _e(name), ln, s["n"], s["kind"], _e(s["message"]),
                               s["col"]))
    return ('<h3 class="file">%s</h3>\n<table class="src" data-file="%s">\n%s\n</table>'
            % (_e(name), _e(name), "\n".join(rows)))


def _finding_page(idx, f, total, root, docs_base, cache):
    steps = _steps(f)
    files = []
    for s in steps:
        if s["file"] not in files:
            files.append(s["file"])
    nav = ['<a href="../index.html">index</a>']
    if idx > 1:
        nav.append('<a href="%d.html" rel="prev">previous</a>' % (idx - 1))
    if idx < total:
        nav.append('<a href="%d.html" rel="next">next</a>' % (idx + 1))
    path = "\n".join('<li><a href="#step-%d">%s:%d</a> %s: %s</li>'
                     % (s["n"], _e(_display(s["file"], root)), s["line"], s["kind"], _e(s["message"]))
                     for s in steps)
    blocks = "\n".join(_source_block(p, [s for s in steps if s["file"] == p], root, cache, "f%d" % i)
                       for i, p in enumerate(files))
    body = ('<nav>%s</nav>\n<h1 class="message">%s</h1>\n'
            '<p>Check <a class="check-doc" href="%s"><code>%s</code></a> &middot; '
            '<span class="location">%s:%d:%d</span></p>\n'
            '<h2>Path</h2>\n<ol class="path">\n%s\n</ol>\n<h2>Source</h2>\n%s'
            % (" &middot; ".join(nav), _e(f["message"]), _e(docs_link(f["check"], docs_base)), _e(f["check"]),
               _e(_display(f["file"], root)), f["line"], f["col"], path, blocks))
    return _page("%s [%s]" % (f["message"], f["check"]), body)


def _index(findings, root, docs_base):
    by_check, by_file = {}, {}
    for i, f in enumerate(findings, 1):
        by_check.setdefault(f["check"], []).append(i)
        by_file.setdefault(_display(f["file"], root), []).append(i)
    files = sorted(by_file)
    file_id = {name: "file-%d" % i for i, name in enumerate(files, 1)}

    def item(i):
        f = findings[i - 1]
        return ('<li><a class="finding" href="findings/%d.html">%s:%d</a> %s <code>[%s]</code></li>'
                % (i, _e(_display(f["file"], root)), f["line"], _e(f["message"]), _e(f["check"])))

    checks = "\n".join('<tr><td><a href="#check-%s">%s</a></td><td class="count">%d</td>'
                       '<td><a href="%s">docs</a></td></tr>'
                       % (_e(c), _e(c), len(by_check[c]), _e(docs_link(c, docs_base))) for c in sorted(by_check))
    ftable = "\n".join('<tr><td><a href="#%s">%s</a></td><td class="count">%d</td></tr>'
                       % (file_id[n], _e(n), len(by_file[n])) for n in files)
    csec = "\n".join('<section id="check-%s"><h3>%s</h3><ul>%s</ul></section>'
                     % (_e(c), _e(c), "".join(item(i) for i in by_check[c])) for c in sorted(by_check))
    fsec = "\n".join('<section id="%s"><h3>%s</h3><ul>%s</ul></section>'
                     % (file_id[n], _e(n), "".join(item(i) for i in by_file[n])) for n in files)
    body = ('<h1>leak-tidy report</h1>\n<p class="summary">%d findings in %d files</p>\n'
            '<h2>By check</h2>\n<table class="counts" id="by-check"><tr><th>check</th><th>findings</th><th></th>'
            '</tr>\n%s\n</table>\n<h2>By file</h2>\n<table class="counts" id="by-file"><tr><th>file</th>'
            '<th>findings</th></tr>\n%s\n</table>\n<h2>Findings by check</h2>\n%s\n<h2>Findings by file</h2>\n%s'
            % (len(findings), len(files), checks, ftable, csec, fsec))
    return _page("leak-tidy report", body)


def write(directory, findings, root, docs_base):
    pages = os.path.join(directory, "findings")
    os.makedirs(pages, exist_ok=True)
    for old in os.listdir(pages):  # pages of an earlier run
        if old.endswith(".html"):
            os.unlink(os.path.join(pages, old))
    cache = {}
    with open(os.path.join(directory, "index.html"), "w", encoding="utf-8") as out:
        out.write(_index(findings, root, docs_base))
    for i, f in enumerate(findings, 1):
        with open(os.path.join(directory, "findings", "%d.html" % i), "w", encoding="utf-8") as out:
            out.write(_finding_page(i, f, len(findings), root, docs_base, cache))
