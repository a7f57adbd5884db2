"""infra/deploy/deploy.sh against a local bare git repository, with the build, activation and
restart commands injected: no systemd, no npm, no network."""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

import pytest
from conftest import INFRA

DEPLOY = INFRA / "deploy" / "deploy.sh"


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


class Origin:
    """A bare repository standing in for the deployed remote, and a clone to push commits from."""

    def __init__(self, tmp: Path) -> None:
        self.bare = tmp / "origin.git"
        self.work = tmp / "work"
        git(tmp, "init", "--quiet", "--bare", "--initial-branch=main", str(self.bare))
        git(tmp, "clone", "--quiet", str(self.bare), str(self.work))
        git(self.work, "checkout", "--quiet", "-B", "main")

    def commit(self, content: str, branch: str = "main") -> str:
        git(self.work, "checkout", "--quiet", "-B", branch)
        (self.work / "app.txt").write_text(content)
        git(self.work, "add", "app.txt")
        git(self.work, "commit", "--quiet", "-m", content)
        git(self.work, "push", "--quiet", "origin", branch)
        return git(self.work, "rev-parse", "HEAD")


@pytest.fixture
def origin(tmp_path: Path) -> Origin:
    return Origin(tmp_path)


@pytest.fixture
def host(tmp_path: Path) -> dict[str, Path]:
    home = tmp_path / "host"
    return {"home": home, "log": tmp_path / "actions.log"}


def deploy(host: dict[str, Path], origin: Origin, **overrides: str) -> subprocess.CompletedProcess[str]:
    log = host["log"]
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(host["home"].parent),
        "CANOPY_ENV_FILE": "/nonexistent/canopy.env",
        "CANOPY_HOME": str(host["home"]),
        "CANOPY_REPOSITORY_URL": str(origin.bare),
        "CANOPY_BRANCH": "main",
        "CANOPY_ROLE": "main",
        "CANOPY_WORKERS_PER_HOST": "3",
        # The build records which commit it built and what it saw in its folder.
        "CANOPY_DEPLOY_BUILD": f'echo "build $(git rev-parse HEAD) $(cat app.txt)" >> {log}',
        "CANOPY_DEPLOY_ACTIVATE": f'echo "activate $(basename "$1")" >> {log}',
        # Each restart must see the switched release already in place.
        "CANOPY_DEPLOY_RESTART": f'echo "restart $1 $(cat {host["home"]}/current/app.txt)" >> {log}',
    }
    env.update(overrides)
    return subprocess.run(["bash", str(DEPLOY)], env=env, capture_output=True, text=True, timeout=60)


def actions(host: dict[str, Path]) -> list[str]:
    return host["log"].read_text().splitlines() if host["log"].exists() else []


def current(host: dict[str, Path]) -> str:
    return (host["home"] / "current").resolve().name


def test_first_deploy_builds_switches_and_restarts_workers_one_by_one(origin: Origin, host: dict[str, Path]) -> None:
    sha = origin.commit("v1")
    result = deploy(host, origin)
    assert result.returncode == 0, result.stderr
    assert actions(host) == [
        f"build {sha} v1",
        f"activate {sha}",
        "restart canopy-worker@1.service v1",
        "restart canopy-worker@2.service v1",
        "restart canopy-worker@3.service v1",
        "restart canopy-board.service v1",
    ]
    assert current(host) == sha
    assert (host["home"] / "current" / "app.txt").read_text() == "v1"
    assert f"deployed {sha[:12]}" in result.stderr


def test_no_op_when_the_branch_did_not_move(origin: Origin, host: dict[str, Path]) -> None:
    sha = origin.commit("v1")
    assert deploy(host, origin).returncode == 0
    before = actions(host)
    result = deploy(host, origin)
    assert result.returncode == 0, result.stderr
    assert actions(host) == before, "an unchanged branch must not build or restart anything"
    assert f"up to date: main is at {sha[:12]}" in result.stderr
    assert current(host) == sha


def test_new_commit_is_built_and_rolled_out(origin: Origin, host: dict[str, Path]) -> None:
    first = origin.commit("v1")
    assert deploy(host, origin).returncode == 0
    second = origin.commit("v2")
    host["log"].unlink()
    result = deploy(host, origin)
    assert result.returncode == 0, result.stderr
    assert actions(host) == [
        f"build {second} v2",
        f"activate {second}",
        "restart canopy-worker@1.service v2",
        "restart canopy-worker@2.service v2",
        "restart canopy-worker@3.service v2",
        "restart canopy-board.service v2",
    ]
    assert current(host) == second
    # The previous release stays on disk (rollback by hand is a symlink away).
    assert (host["home"] / "releases" / first).is_dir()


def test_worker_host_restarts_only_its_workers(origin: Origin, host: dict[str, Path]) -> None:
    origin.commit("v1")
    result = deploy(host, origin, CANOPY_ROLE="worker", CANOPY_WORKERS_PER_HOST="2")
    assert result.returncode == 0, result.stderr
    assert [a for a in actions(host) if a.startswith("restart")] == [
        "restart canopy-worker@1.service v1",
        "restart canopy-worker@2.service v1",
    ]


def test_failed_build_keeps_the_running_release_and_retries_next_time(origin: Origin, host: dict[str, Path]) -> None:
    first = origin.commit("v1")
    assert deploy(host, origin).returncode == 0
    second = origin.commit("v2")
    host["log"].unlink()
    failed = deploy(host, origin, CANOPY_DEPLOY_BUILD="echo compiling; exit 3")
    assert failed.returncode != 0
    assert f"build of {second[:12]} failed; still running {first[:12]}" in failed.stderr
    assert current(host) == first
    assert not (host["home"] / "releases" / second).exists(), "a failed release must not be left half-built"
    assert actions(host) == [], "nothing may be restarted after a failed build"

    retried = deploy(host, origin)
    assert retried.returncode == 0, retried.stderr
    assert current(host) == second
    assert actions(host)[0] == f"build {second} v2"


def test_a_failed_restart_stops_the_rollout(origin: Origin, host: dict[str, Path]) -> None:
    origin.commit("v1")
    log = host["log"]
    result = deploy(host, origin, CANOPY_DEPLOY_RESTART=f'echo "restart $1" >> {log}; [ "$1" != canopy-worker@2.service ]')
    assert result.returncode != 0
    assert "restarting canopy-worker@2.service failed" in result.stderr
    assert [a for a in actions(host) if a.startswith("restart")] == [
        "restart canopy-worker@1.service",
        "restart canopy-worker@2.service",
    ]


def test_two_deploys_never_overlap(origin: Origin, host: dict[str, Path]) -> None:
    origin.commit("v1")
    host["home"].mkdir(parents=True)
    with open(host["home"] / "deploy.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = deploy(host, origin)
    assert result.returncode == 0, result.stderr
    assert "another deploy is running" in result.stderr
    assert actions(host) == []
    assert not (host["home"] / "current").exists()


def test_old_releases_are_pruned(origin: Origin, host: dict[str, Path]) -> None:
    shas = []
    for version in ("v1", "v2", "v3", "v4"):
        shas.append(origin.commit(version))
        assert deploy(host, origin, CANOPY_KEEP_RELEASES="2").returncode == 0
    kept = sorted(p.name for p in (host["home"] / "releases").iterdir())
    assert kept == sorted(shas[-2:])


def test_missing_repository_is_a_clear_error(origin: Origin, host: dict[str, Path]) -> None:
    result = deploy(host, origin, CANOPY_REPOSITORY_URL=str(origin.bare.parent / "nope.git"))
    assert result.returncode != 0
    assert "could not fetch branch 'main' from" in result.stderr
    assert "nope.git" in result.stderr
    assert actions(host) == []


def test_settings_come_from_the_env_file_written_by_cloud_init(origin: Origin, host: dict[str, Path], tmp_path: Path) -> None:
    origin.commit("v1")
    env_file = tmp_path / "canopy.env"
    env_file.write_text(
        f'# written by cloud-init\nCANOPY_REPOSITORY_URL="{origin.bare}"\nCANOPY_ROLE="worker"\nCANOPY_WORKERS_PER_HOST="1"\n'
    )
    env = dict(os.environ)
    env.update(
        {
            "PATH": os.environ["PATH"],
            "CANOPY_ENV_FILE": str(env_file),
            "CANOPY_HOME": str(host["home"]),
            "CANOPY_DEPLOY_BUILD": "true",
            "CANOPY_DEPLOY_ACTIVATE": "true",
            "CANOPY_DEPLOY_RESTART": f'echo "restart $1" >> {host["log"]}',
        }
    )
    for key in ("CANOPY_REPOSITORY_URL", "CANOPY_ROLE", "CANOPY_WORKERS_PER_HOST", "CANOPY_BRANCH"):
        env.pop(key, None)
    result = subprocess.run(["bash", str(DEPLOY)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [a for a in actions(host) if a.startswith("restart")] == ["restart canopy-worker@1.service"]
