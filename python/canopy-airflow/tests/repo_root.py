"""The repository checkout the package sits in (its contracts/ and docs/)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
