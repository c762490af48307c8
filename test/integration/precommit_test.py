"""The pre-commit hook (.pre-commit-hooks.yaml of this repository) with
Debian's real pre-commit: a commit adding a leak is refused with the finding
shown; a clean commit passes. Only staged C/C++ files are linted."""
import argparse, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, expect, install, fresh_dir

ap = argparse.ArgumentParser()
ap.add_argument("--src"); ap.add_argument("--build"); ap.add_argument("--tmp")
a = ap.parse_args()
prefix = os.path.join(a.tmp, "prefix")
install(a.build, prefix)
# The hook is read from a commit of this repository: the committed HEAD, or a
# snapshot commit of the working tree in a scratch clone when it has changes.
hooks_repo = os.path.join(a.tmp, "hooks-repo")
fresh_dir(hooks_repo)
sh(["git", "init", "-q", hooks_repo])
with open(os.path.join(a.src, ".pre-commit-hooks.yaml")) as f:
    hooks = f.read()
with open(os.path.join(hooks_repo, ".pre-commit-hooks.yaml"), "w") as f:
    f.write(hooks)
env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.invalid",
       "PATH": os.path.join(prefix, "bin") + os.pathsep + os.environ["PATH"],
       "PRE_COMMIT_HOME": os.path.join(a.tmp, "pc-home"), "HOME": a.tmp}
sh(["git", "add", "-A"], cwd=hooks_repo, env=env)
sh(["git", "commit", "-qm", "hooks"], cwd=hooks_repo, env=env)
rev = sh(["git", "rev-parse", "HEAD"], cwd=hooks_repo).stdout.strip()

user = os.path.join(a.tmp, "user-repo")
fresh_dir(user)
sh(["git", "init", "-q", user], env=env)
with open(os.path.join(user, ".pre-commit-config.yaml"), "w") as f:
    f.write("repos:\n- repo: %s\n  rev: %s\n  hooks:\n  - id: leak-tidy\n" % (hooks_repo, rev))
with open(os.path.join(user, "ok.cpp"), "w") as f:
    f.write("#include <thread>\nvoid ok() {\n  std::thread t([] {});\n  t.join();\n}\n")
sh(["git", "add", "-A"], cwd=user, env=env)
sh(["pre-commit", "install"], cwd=user, env=env)
r = sh(["git", "commit", "-m", "clean"], cwd=user, env=env, check=False)
expect(r.returncode == 0, "a clean commit passes", r.stdout + r.stderr)

with open(os.path.join(user, "leak.cpp"), "w") as f:
    f.write("#include <thread>\nvoid leak() {\n  std::thread t([] {});\n}\n")
sh(["git", "add", "leak.cpp"], cwd=user, env=env)
r = sh(["git", "commit", "-m", "leak"], cwd=user, env=env, check=False)
out = r.stdout + r.stderr
expect(r.returncode != 0, "a commit adding a leak is refused", out)
expect("leak.cpp:3:" in out and "[leak-unjoined-thread]" in out, "the finding is shown", out)
expect("ok.cpp" not in out.split("leak-tidy")[-1], "only the staged file is linted", out)
print("pre-commit test ok")
