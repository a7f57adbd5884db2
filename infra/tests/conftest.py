"""Shared helpers for the infra tests: paths and the parsed Terraform configuration."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

INFRA = Path(__file__).resolve().parent.parent
ROOT = INFRA.parent
TERRAFORM = INFRA / "terraform"
TOOLS_BIN = ROOT / ".tools" / "bin"


def load_terraform() -> dict[str, list]:
    """Every top-level block of every .tf file, merged by block type (as Terraform itself merges files)."""
    merged: dict[str, list] = {}
    for path in sorted(TERRAFORM.glob("*.tf")):
        with path.open() as handle:
            parsed = hcl2.load(handle)
        for block_type, blocks in parsed.items():
            merged.setdefault(block_type, []).extend(blocks)
    return merged


@pytest.fixture(scope="session")
def terraform() -> dict[str, list]:
    return load_terraform()


def clean(value):
    """python-hcl2 keeps HCL's quotes ('"gp3"') and adds bookkeeping keys; give plain Python values."""
    if isinstance(value, dict):
        return {clean_label(k): clean(v) for k, v in value.items() if k not in ("__is_block__", "__comments__")}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1].replace('\\"', '"')
    return value


def clean_label(label: str) -> str:
    return label[1:-1] if len(label) >= 2 and label.startswith('"') and label.endswith('"') else label


class Config:
    """The parsed configuration, addressed the way Terraform does: resource('aws_instance', 'main')."""

    def __init__(self, raw: dict[str, list]) -> None:
        self.raw = {kind: clean(blocks) for kind, blocks in raw.items() if kind != "__comments__"}
        self.locals: dict = {}
        for block in self.raw.get("locals", []):
            self.locals.update(block)

    def _labelled(self, kind: str) -> dict[tuple[str, str], dict]:
        found = {}
        for block in self.raw.get(kind, []):
            for type_name, by_name in block.items():
                for name, body in by_name.items():
                    found[(type_name, name)] = body
        return found

    def resources(self, type_name: str) -> dict[str, dict]:
        return {name: body for (t, name), body in self._labelled("resource").items() if t == type_name}

    def resource(self, type_name: str, name: str) -> dict:
        return self._labelled("resource")[(type_name, name)]

    def data(self, type_name: str, name: str) -> dict:
        return self._labelled("data")[(type_name, name)]

    def variables(self) -> dict[str, dict]:
        found = {}
        for block in self.raw.get("variable", []):
            found.update(block)
        return found

    def resolve(self, value):
        """Follow a plain '${local.a.b}' reference to the local's value; anything else unchanged."""
        if isinstance(value, str) and value.startswith("${local.") and value.endswith("}") and "(" not in value:
            current = self.locals
            for part in value[len("${local.") : -1].split("."):
                current = current[part]
            return self.resolve(current)
        return value


@pytest.fixture(scope="session")
def config(terraform: dict[str, list]) -> Config:
    return Config(terraform)
