"""Shared helpers of the robustness tests: run clang-tidy 22 with the plugin
on one file and measure the process (CPU time, peak memory) exactly, via
wait4 on that child only, so that parallel runs do not disturb each other's
numbers."""
import os
import signal
import subprocess
import tempfile
import threading
import time

FLOOR_CHECKS = "-*,readability-duplicate-include"   # parse cost only (PP callbacks)
LEAK_CHECKS = "-*,leak-*"
CRASH_MARKERS = ("Stack dump:", "PLEASE submit a bug report", "ERROR: AddressSanitizer",
                 "runtime error:", "LLVM ERROR:")


class Run:
    def __init__(self, cmd, rc, output, cpu, wall, rss_mb, timed_out):
        self.cmd, self.rc, self.output = cmd, rc, output
        self.cpu, self.wall, self.rss_mb, self.timed_out = cpu, wall, rss_mb, timed_out

    @property
    def crashed(self):
        if self.timed_out:
            return False
        return self.rc < 0 or self.rc > 128 or any(m in self.output for m in CRASH_MARKERS)

    @property
    def errors(self):
        return sum(1 for line in self.output.splitlines() if ": error: " in line or ": fatal error: " in line)

    def describe(self):
        sig = ""
        if self.rc < 0:
            try:
                sig = " (%s)" % signal.Signals(-self.rc).name
            except ValueError:
                pass
        return "exit %d%s, %.2fs CPU, %.0f MB" % (self.rc, sig, self.cpu, self.rss_mb)


def run_tidy(clang_tidy, plugin, checks, path, compile_args, timeout, extra=()):
    cmd = [clang_tidy, "--load=" + plugin, "--config={}", "--checks=" + checks, "--quiet"]
    cmd += list(extra) + [path, "--"] + list(compile_args)
    with tempfile.TemporaryFile() as out:
        t0 = time.time()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        timed_out = []

        def kill():
            timed_out.append(True)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.time() - t0
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(cmd, p.returncode, text, ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss / 1024.0,
               bool(timed_out))
