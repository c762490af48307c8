# -*- Python -*-
# lit configuration for leak-tidy. Run through ctest, or directly:
#   lit -sv --param leak_tidy_site=build/test/lit.site.cfg.py test
import os
import shutil
import subprocess

import lit.formats
import lit.util

config.name = "leak-tidy"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".c", ".test"]
config.excludes = ["Inputs", "unit", "tools", "runner-selftest.cpp.py", "common.py",
                   "install_test.py", "project_test.py", "cmake_test.py", "precommit_test.py",
                   "driver_errors_test.py", "validate_sarif.py", "ci_test.py", "html_test.py",
                   "leaktidy_unit_test.py", "facts_driver_test.py", "facts_unit_test.py",
                   "facts_e2e_test.py", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py.in", "README.md"]
config.test_source_root = os.path.dirname(__file__)

site = lit_config.params.get("leak_tidy_site")
if not site:
    default = os.path.join(os.path.dirname(__file__), "..", "build", "test", "lit.site.cfg.py")
    site = os.path.abspath(default)
if not os.path.exists(site):
    lit_config.fatal("no lit.site.cfg.py at %s: configure and build first "
                     "(cmake -S . -B build && cmake --build build)" % site)
lit_config.load_config(config, site)

config.test_exec_root = os.path.join(config.leak_tidy_build_dir, "test")
if not os.path.exists(config.leak_tidy_plugin):
    lit_config.fatal("plugin not built: %s" % config.leak_tidy_plugin)

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_bin_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])
for var in ["HOME", "TMPDIR", "LANG", "LC_ALL", "LD_PRELOAD", "ASAN_OPTIONS",
            "UBSAN_OPTIONS", "LSAN_OPTIONS",
            "LEAK_TIDY_REQUIRE_SARIF_SCHEMA", "LEAK_TIDY_SARIF_SCHEMA"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]

tools = os.path.join(config.test_source_root, "tools")
check_leak = "%s %s --clang-tidy %s --plugin %s" % (
    config.python, os.path.join(tools, "check_leak.py"), config.clang_tidy,
    config.leak_tidy_plugin)
config.substitutions.append(("%check_leak", check_leak))
config.substitutions.append(("%clang_tidy_plugin",
                             "%s --load=%s" % (config.clang_tidy, config.leak_tidy_plugin)))
config.substitutions.append(("%clang_tidy", config.clang_tidy))
config.substitutions.append(("%leak_plugin", config.leak_tidy_plugin))
config.substitutions.append(("%FileCheck", config.filecheck))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%leak_src", config.leak_tidy_src_dir))
config.substitutions.append(("%leak_build", config.leak_tidy_build_dir))

# --- leak-clangd (issue 10): built only when clangd's static libraries and
# gRPC/protobuf are installed; test/clangd/ says `REQUIRES: leak-clangd`.
leak_clangd = os.path.join(config.leak_tidy_build_dir, "bin", "leak-clangd")
if os.path.exists(leak_clangd):
    config.available_features.add("leak-clangd")
config.substitutions.append(("%leak_clangd", leak_clangd))
config.substitutions.append(("%lsp_client", "%s %s --clangd %s" % (
    config.python, os.path.join(config.test_source_root, "clangd", "lsp_client.py"), leak_clangd)))
# --- end leak-clangd ---


# Features for the real framework headers (Debian's -dev packages). A test that
# needs one says `REQUIRES: qt5` etc.; CI installs them all.
def pkg_cflags(pkg):
    if not shutil.which("pkg-config"):
        return None
    try:
        out = subprocess.run(["pkg-config", "--cflags", pkg], capture_output=True,
                             text=True, timeout=20)
    except Exception:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


headers = {
    "boost": "/usr/include/boost/version.hpp",
    "boost-asio": "/usr/include/boost/asio.hpp",
    "boost-thread": "/usr/include/boost/thread.hpp",
    "boost-fiber": "/usr/include/boost/fiber/all.hpp",
    "asio": "/usr/include/asio.hpp",
    "libuv": "/usr/include/uv.h",
    "libevent": "/usr/include/event2/event.h",
}
for feature, header in headers.items():
    if os.path.exists(header):
        config.available_features.add(feature)

flags = {"glib": pkg_cflags("glib-2.0"), "qt5": pkg_cflags("Qt5Core")}
for feature, cflags in flags.items():
    if cflags is not None:
        config.available_features.add(feature)
    config.substitutions.append(("%%%s_flags" % feature.replace("5", ""), cflags or ""))

# Project facts (issue 18): the plugin side exists once lib/program/ProjectFacts.h does.
if os.path.exists(os.path.join(config.leak_tidy_src_dir, "lib", "program", "ProjectFacts.h")):
    config.available_features.add("project-facts")
if shutil.which("clang-tidy-14"):
    config.available_features.add("clang-tidy-14")
if shutil.which("pre-commit"):
    config.available_features.add("pre-commit")
# --html is tested in a real browser: Debian's chromium + chromium-driver,
# driven by python3-selenium (scripts/deps.sh installs them), with the first
# Python that can import selenium (the build's, else Debian's).
def python_with(module, candidates):
    for py in candidates:
        if py and shutil.which(py) and subprocess.run(
                [py, "-c", "import " + module], capture_output=True).returncode == 0:
            return py
    return None


selenium_python = python_with("selenium", [config.python, "/usr/bin/python3"])
if selenium_python and shutil.which("chromium") and shutil.which("chromedriver"):
    config.available_features.add("chromium")
config.substitutions.append(("%selenium_python", selenium_python or "false"))
