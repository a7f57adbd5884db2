"""The cloud-init user data, rendered as Terraform renders it, passes `cloud-init schema` (Debian's
cloud-init, unpacked by infra/scripts/install-tools.sh) and carries what the hosts need."""

from __future__ import annotations

import base64
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import INFRA, ROOT, TERRAFORM, Config

TEMPLATES = TERRAFORM / "templates"
CLOUD_INIT = ROOT / ".tools" / "cloud-init"
PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")


def template_names(path: Path) -> set[str]:
    text = path.read_text()
    # Only plain ${name} placeholders: then this substitution is exactly what templatefile() does.
    assert "%{" not in text, f"{path.name}: template directives would need Terraform to render"
    for expression in re.findall(r"\$\{([^}]*)\}", text):
        assert re.fullmatch(r"[a-z_]+", expression), f"{path.name}: '${{{expression}}}' is not a plain variable"
    return set(PLACEHOLDER.findall(text))


def render(path: Path, values: dict[str, str]) -> str:
    names = template_names(path)
    assert names == set(values), f"{path.name} uses {sorted(names)}, given {sorted(values)}"
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), path.read_text())


def base64gzip(text: str) -> str:
    return base64.b64encode(gzip.compress(text.encode())).decode()


SETTINGS = {
    "name": "canopy",
    "region": "eu-west-1",
    "ssm_path": "/canopy",
    "repository_url": "https://git.example.com/team/canopy.git",
    "repository_branch": "main",
    "deploy_interval": "2min",
    "workers_per_host": "2",
    "redis_port": "6379",
    "bucket": "canopy-123456789012-eu-west-1",
    "data_prefix": "data/",
    "models_root": "models",
    "worker_command": "node apps/worker/bin/canopy.js worker",
    "board_command": "node apps/worker/bin/canopy.js board",
    "board_port": "3000",
    "airflow_ui_port": "8080",
    "airflow_requirements": "airflow",
    "metrics_base_port": "9400",
    "cloudwatch_agent_ssm": "/canopy/cloudwatch-agent",
}


def user_data(role: str) -> str:
    env = render(TEMPLATES / "canopy.env.tftpl", {**SETTINGS, "role": role, "redis_host": "127.0.0.1" if role == "main" else "10.0.1.23"})
    return render(
        TEMPLATES / "cloud-init.yaml.tftpl",
        {
            "role": role,
            "canopy_env": base64gzip(env),
            "bootstrap_sh": base64gzip((INFRA / "bootstrap" / "bootstrap.sh").read_text()),
            "host_setup_sh": base64gzip((INFRA / "bootstrap" / "host-setup.sh").read_text()),
        },
    )


def cloud_init_schema(path: Path) -> subprocess.CompletedProcess[str]:
    assert (CLOUD_INIT / "usr" / "bin" / "cloud-init").exists(), "run bash infra/scripts/install-tools.sh"
    env = {**os.environ, "PYTHONPATH": str(CLOUD_INIT / "usr" / "lib" / "python3" / "dist-packages")}
    return subprocess.run(
        [sys.executable, str(CLOUD_INIT / "usr" / "bin" / "cloud-init"), "schema", "--config-file", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_compute_passes_exactly_the_variables_the_templates_use(config: Config) -> None:
    settings = set(config.locals["host_settings"])
    assert template_names(TEMPLATES / "canopy.env.tftpl") == settings | {"role", "redis_host"}
    assert set(SETTINGS) == settings, "keep this test's settings in step with compute.tf"
    assert template_names(TEMPLATES / "cloud-init.yaml.tftpl") == set(config.locals["bootstrap_scripts"]) | {"role", "canopy_env"}


@pytest.mark.parametrize("role", ["main", "worker"])
def test_rendered_user_data_passes_cloud_init_schema(role: str, tmp_path: Path) -> None:
    path = tmp_path / f"{role}.yaml"
    path.write_text(user_data(role))
    result = cloud_init_schema(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Valid cloud-config: {path}" in result.stdout
    # EC2 takes at most 16 KiB of user data; Terraform sends it gzipped.
    assert len(gzip.compress(path.read_bytes())) < 16 * 1024


def test_cloud_init_schema_rejects_a_broken_document(tmp_path: Path) -> None:
    broken = user_data("main").replace("encoding: gz+b64", "encoding: zip", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(broken)
    result = cloud_init_schema(path)
    assert "write_files.0.encoding" in result.stdout + result.stderr
    assert "Valid cloud-config" not in result.stdout


@pytest.mark.parametrize("role", ["main", "worker"])
def test_user_data_writes_the_settings_and_runs_the_bootstrap(role: str) -> None:
    document = yaml.safe_load(user_data(role))
    files = {f["path"]: gzip.decompress(base64.b64decode(f["content"])).decode() for f in document["write_files"]}
    assert files["/usr/local/lib/canopy/bootstrap.sh"] == (INFRA / "bootstrap" / "bootstrap.sh").read_text()
    assert files["/usr/local/lib/canopy/host-setup.sh"] == (INFRA / "bootstrap" / "host-setup.sh").read_text()
    env = dict(line.split("=", 1) for line in files["/etc/canopy/canopy.env"].splitlines() if line and not line.startswith("#"))
    assert env["CANOPY_ROLE"] == f'"{role}"'
    assert env["CANOPY_REDIS_HOST"] == ('"127.0.0.1"' if role == "main" else '"10.0.1.23"')
    assert env["CANOPY_MODELS_URL"] == '"s3://canopy-123456789012-eu-west-1/models"'
    assert not any(("PASSWORD" in key or "SECRET" in key) and not key.endswith("_FILE") for key in env), (
        "secrets come from SSM at boot, not user data"
    )
    assert document["runcmd"] == [["bash", "/usr/local/lib/canopy/bootstrap.sh", "--role", role]]
