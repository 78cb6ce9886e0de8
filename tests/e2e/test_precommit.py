"""End-to-end tests of the pre-commit hooks (.pre-commit-hooks.yaml) under the real pre-commit.

`runcommand-lint` (language: rust) is built by pre-commit itself with `cargo install` from a
committed snapshot of this working tree; `runcommand-lint-system` (language: system) runs the
binary $RUNCOMMAND_LINT (set by scripts/test) through PATH.

Why a snapshot: `pre-commit try-repo` on a local repository with uncommitted changes copies only
the staged and modified tracked files into its temporary clone (not new, untracked files), so the
test copies every file that is not git-ignored into a new repository and commits it there. The
checkout itself is never touched.

The first build takes a few minutes; CARGO_TARGET_DIR is kept under target/ so later runs reuse
the compiled dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("RUNCOMMAND_LINT") or str(ROOT / "target" / "debug" / "runcommand-lint")

BAD = (
    "RegionId: cn-hangzhou\n"
    "Type: RunShellscript\n"
    "CommandContent: echo hello\n"
    "InstanceId: [i-bp185dy2o3o6neg1234]\n"
)
GOOD = BAD.replace("RunShellscript", "RunShellScript")
# An unrelated YAML file (a CI workflow) and JSON file: skipped without a finding.
WORKFLOW = "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
PACKAGE = '{"name": "x", "version": "1.0.0"}\n'

GIT_ID = ["-c", "user.name=runcommand-lint tests", "-c", "user.email=tests@example.invalid"]


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", *GIT_ID, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository holding one commit: every file of the working tree that git does not ignore."""
    dest = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in listed:
        rel = raw.decode()
        if not rel or "target" in Path(rel).parts:
            continue
        src = ROOT / rel
        if not src.is_file():
            continue  # deleted in the working tree
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / rel)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A user's repository with a bad request, a good one and unrelated YAML and JSON files."""
    git(tmp_path, "init", "-q")
    (tmp_path / "requests").mkdir()
    (tmp_path / "requests" / "bad.yaml").write_text(BAD)
    (tmp_path / "requests" / "good.yaml").write_text(GOOD)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yaml").write_text(WORKFLOW)
    (tmp_path / "package.json").write_text(PACKAGE)
    git(tmp_path, "add", "-A")
    return tmp_path


def env(with_binary_on_path: bool = False, home: Path | None = None) -> dict[str, str]:
    e = dict(os.environ)
    if home is not None:
        e["PRE_COMMIT_HOME"] = str(home)
    e["CARGO_TARGET_DIR"] = str(ROOT / "target" / "pre-commit-hook")
    e["CARGO_TERM_COLOR"] = "never"
    e["PRE_COMMIT_COLOR"] = "never"
    e.pop("NO_COLOR", None)
    if with_binary_on_path:
        e["PATH"] = str(Path(BIN).resolve().parent) + os.pathsep + e.get("PATH", "")
    return e


def pre_commit(
    cwd: Path, *args: str, system: bool = False, home: Path | None = None, timeout: int = 1800
):
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env(with_binary_on_path=system, home=home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def try_repo(project: Path, repo: Path, hook: str, *files: str, system: bool = False):
    return pre_commit(
        project, "try-repo", str(repo), hook, "--color", "never", "--files", *files, system=system
    )


def test_rust_hook_fails_on_a_bad_request_with_its_code(hook_repo: Path, project: Path) -> None:
    out = try_repo(project, hook_repo, "runcommand-lint", "requests/bad.yaml", "requests/good.yaml")
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "InvalidCmdType.NotFound" in text, text
    assert "requests/bad.yaml:2:7" in text, text
    assert "requests/good.yaml:" not in text, text


def test_rust_hook_passes_on_a_good_request_and_unrelated_files(
    hook_repo: Path, project: Path
) -> None:
    out = try_repo(
        project,
        hook_repo,
        "runcommand-lint",
        "requests/good.yaml",
        ".github/workflows/ci.yaml",
        "package.json",
    )
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    assert "Passed" in text, text


ROS_BAD = """ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Setup:
    Type: ALIYUN::ECS::RunCommand
    Properties:
      Type: RunShellScript
      InstanceIds: [i-bp1a2b3c4d5e6f7g8h9i]
      CommandContent:
        Fn::Sub: echo ${Greeting}
"""

ROS_OTHER = """ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Vpc:
    Type: ALIYUN::ECS::VPC
    Properties:
      CidrBlock: 192.168.0.0/16
"""


def test_rust_hook_checks_ros_templates_and_skips_those_without_run_command(
    hook_repo: Path, project: Path
) -> None:
    (project / "stacks").mkdir()
    (project / "stacks" / "setup.yaml").write_text(ROS_BAD)
    (project / "stacks" / "network.yaml").write_text(ROS_OTHER)
    git(project, "add", "-A")
    out = try_repo(
        project, hook_repo, "runcommand-lint", "stacks/setup.yaml", "stacks/network.yaml"
    )
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "Lint.RosUnknownReference" in text, text
    assert "stacks/setup.yaml:9:25" in text, text
    assert "stacks/network.yaml" not in text, text


def test_system_hook_uses_the_binary_on_path(hook_repo: Path, project: Path) -> None:
    out = try_repo(project, hook_repo, "runcommand-lint-system", "requests/bad.yaml", system=True)
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "InvalidCmdType.NotFound" in text, text
    out = try_repo(
        project,
        hook_repo,
        "runcommand-lint-system",
        "requests/good.yaml",
        ".github/workflows/ci.yaml",
        "package.json",
        system=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_pre_commit_config_and_the_exclude_setting(
    hook_repo: Path, project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The README's .pre-commit-config.yaml, with `pre-commit run --all-files`; `exclude` in
    runcommand-lint.toml keeps a file out (the hooks pass --force-exclude)."""
    rev = git(hook_repo, "rev-parse", "HEAD")
    (project / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hook_repo}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: runcommand-lint-system\n"
    )
    git(project, "add", "-A")
    home = tmp_path_factory.mktemp("pre-commit-home")
    out = pre_commit(project, "run", "--all-files", "--color", "never", system=True, home=home)
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "InvalidCmdType.NotFound" in text, text
    (project / "runcommand-lint.toml").write_text('exclude = ["requests/bad.yaml"]\n')
    git(project, "add", "-A")
    out = pre_commit(project, "run", "--all-files", "--color", "never", system=True, home=home)
    assert out.returncode == 0, out.stdout + out.stderr
