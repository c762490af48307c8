"""CMake's CMAKE_CXX_CLANG_TIDY with the installed leak-tidy: the build stops
on the leak (warnings as errors) and passes once only clean code is built."""
import argparse, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, expect, install, copy_project, cxx_compiler

ap = argparse.ArgumentParser()
ap.add_argument("--src"); ap.add_argument("--build"); ap.add_argument("--tmp")
a = ap.parse_args()
tool = install(a.build, os.path.join(a.tmp, "prefix"))
proj = copy_project(os.path.join(a.src, "test", "integration", "Inputs", "project"), os.path.join(a.tmp, "proj"))
bdir = os.path.join(proj, "build")
sh(["cmake", "-S", proj, "-B", bdir, "-DCMAKE_CXX_COMPILER=" + cxx_compiler(),
    "-DCMAKE_CXX_CLANG_TIDY=%s;--checks=-*,leak-*;--warnings-as-errors=leak-*" % tool])
r = sh(["cmake", "--build", bdir, "--target", "worker"], check=False)
expect(r.returncode != 0 and "[leak-unjoined-thread" in r.stdout + r.stderr,
       "the leak stops the build", r.stdout + r.stderr)
r = sh(["cmake", "--build", bdir, "--target", "clean_app"], check=False)
expect(r.returncode == 0, "clean code builds", r.stdout + r.stderr)
print("cmake test ok")
