"""Starting and stopping the real processes the tests use (Redis, moto, the Node worker)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StackProcess:
    name: str
    process: subprocess.Popen
    log: Path

    @classmethod
    def start(cls, name: str, argv: list[str], *, log: Path, env: dict[str, str] | None = None) -> StackProcess:
        handle = open(log, "wb")
        process = subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True)
        handle.close()
        return cls(name, process, log)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def assert_running(self) -> None:
        code = self.process.poll()
        assert code is None, f"{self.name} exited with code {code}:\n{self.output()[-4000:]}"

    def stop(self, timeout: float = 20) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def wait_for_port(port: int, process: StackProcess, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        process.assert_running()
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"{process.name} did not listen on port {port} within {timeout}s:\n{process.output()[-4000:]}")


@dataclass
class Stack:
    redis_url: str
    s3: dict[str, Any]
    worker: StackProcess
