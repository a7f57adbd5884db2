"""Static checks as tests: checkov, canonical HCL formatting, shellcheck on every shell script.
The tools come from infra/scripts/install-tools.sh (.tools/, .venvs/checkov)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, TERRAFORM, TOOLS_BIN

CHECKOV = ROOT / ".venvs" / "checkov" / "bin" / "checkov"
HCLFMT = TOOLS_BIN / "hclfmt"


def require(tool: Path | str | None, hint: str) -> str:
    assert tool and Path(tool).exists(), f"{tool} is missing: {hint}"
    return str(tool)


def test_checkov_reports_no_failed_check_and_every_skip_has_a_reason() -> None:
    checkov = require(CHECKOV, "run bash infra/scripts/install-tools.sh")
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "LOG_LEVEL": "ERROR"}
    result = subprocess.run(
        [checkov, "--directory", str(TERRAFORM), "--framework", "terraform", "--output", "json", "--skip-download", "--compact"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.stdout.strip(), result.stderr[-2000:]
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    [terraform] = [r for r in reports if r.get("check_type") == "terraform"]
    summary = terraform["summary"]
    failed = [f"{c['check_id']} {c['resource']} ({c['file_path']}:{c['file_line_range']})" for c in terraform["results"]["failed_checks"]]
    assert failed == [], "checkov failed checks:\n" + "\n".join(failed)
    assert summary["parsing_errors"] == 0
    assert summary["passed"] >= 100, "checkov looked at far fewer resources than the configuration has"
    for skipped in terraform["results"]["skipped_checks"]:
        reason = (skipped.get("check_result") or {}).get("suppress_comment", "")
        assert len(reason) > 20, f"{skipped['check_id']} on {skipped['resource']} is skipped without a written reason"
    assert result.returncode == 0, result.stderr[-2000:]


def canonical(hclfmt: str, path: Path) -> str:
    """hclfmt prints the canonical form (its -check only checks syntax), so compare with that."""
    result = subprocess.run([hclfmt, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{path.name} does not parse:\n{result.stderr}"
    return result.stdout


def test_terraform_files_are_canonically_formatted() -> None:
    hclfmt = require(HCLFMT, "run bash infra/scripts/install-tools.sh")
    files = sorted(TERRAFORM.glob("*.tf"))
    assert files
    for path in files:
        assert canonical(hclfmt, path) == path.read_text(), f"{path.name} is not canonical: run .tools/bin/hclfmt -w {path}"


def test_the_format_check_catches_bad_formatting(tmp_path: Path) -> None:
    hclfmt = require(HCLFMT, "run bash infra/scripts/install-tools.sh")
    bad = tmp_path / "bad.tf"
    bad.write_text('variable "x" {\ntype=string\n  default =   "a"\n}\n')
    assert canonical(hclfmt, bad) != bad.read_text()


def shell_scripts() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.sh"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return sorted({ROOT / name for name in listed if (ROOT / name).exists()} | {ROOT / ".ci" / "run"})


def test_shellcheck_is_clean_on_every_script() -> None:
    shellcheck = require(shutil.which("shellcheck"), "bootstrap.sh --with-test-tools installs it")
    scripts = shell_scripts()
    assert ROOT / "infra" / "deploy" / "deploy.sh" in scripts
    assert ROOT / "infra" / "bootstrap" / "bootstrap.sh" in scripts
    result = subprocess.run([shellcheck, "--external-sources", *map(str, scripts)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:]
