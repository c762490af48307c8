"""Helpers for the integration tests (run by lit through %python)."""
import os
import shutil
import subprocess
import sys


def sh(cmd, cwd=None, env=None, check=True, timeout=600):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run(cmd, cwd=cwd, env=e, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        fail("command failed (%d): %s\n%s%s" % (p.returncode, " ".join(cmd), p.stdout, p.stderr))
    return p


def fail(msg):
    sys.stderr.write("FAIL: %s\n" % msg)
    sys.exit(1)


def expect(cond, msg, output=""):
    if not cond:
        fail(msg + ("\n--- output ---\n" + output if output else ""))


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def install(build, prefix):
    """cmake --install of the build tree into a fresh prefix."""
    fresh_dir(prefix)
    sh(["cmake", "--install", build, "--prefix", prefix])
    tool = os.path.join(prefix, "bin", "leak-tidy")
    expect(os.access(tool, os.X_OK), "leak-tidy not installed at " + tool)
    return tool


def copy_project(src, dst):
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    return dst


def cxx_compiler():
    """The C++ compiler for the sample projects: clang++ 22 (installed with
    the LLVM 22 packages), so that a machine without g++ works too."""
    for c in ("clang++-22", "/usr/lib/llvm-22/bin/clang++", "c++"):
        found = shutil.which(c)
        if found:
            return found
    fail("no C++ compiler found for the sample project")


def sample_project(doc=None):
    """The common start of the leak-tidy-run tests: parse --src/--build/--tmp,
    install the build tree into TMP/prefix, copy Inputs/project to TMP/proj
    and configure it. Returns (args, prefix, leak-tidy-run, project, build dir)."""
    import argparse
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--src"); ap.add_argument("--build"); ap.add_argument("--tmp")
    a = ap.parse_args()
    prefix = os.path.join(a.tmp, "prefix")
    install(a.build, prefix)
    proj = copy_project(os.path.join(a.src, "test", "integration", "Inputs", "project"), os.path.join(a.tmp, "proj"))
    bdir = os.path.join(proj, "build")
    sh(["cmake", "-S", proj, "-B", bdir, "-DCMAKE_CXX_COMPILER=" + cxx_compiler(),
        "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"])
    return a, prefix, os.path.join(prefix, "bin", "leak-tidy-run"), proj, bdir


def logging_wrapper(tmp, tool):
    """(log, wrapper): a wrapper of `tool` that appends each .cpp it is started on to the log, so that tests
    observe what is linted instead of trusting the driver's summary."""
    import stat
    log = os.path.join(tmp, "linted.log")
    wrapper = os.path.join(tmp, "leak-tidy-logged")
    with open(wrapper, "w") as f:
        f.write('#!/bin/sh\nfor a in "$@"; do case "$a" in *.cpp) echo "$a" >> "%s" ;; esac; done\nexec "%s" "$@"\n'
                % (log, tool))
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IEXEC)
    return log, wrapper
