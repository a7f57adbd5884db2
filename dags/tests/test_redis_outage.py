"""Issue 14 (1): Redis SIGKILLed mid-run (AOF on) and restarted while the Airflow trigger waits for the run. The
trigger, run as the triggerer runs it (its async generator, the connection looked up through Airflow), must carry on
and fire the run's result, logging the outage once when it starts and once when it ends."""

from __future__ import annotations

import asyncio
import os
import time

from canopy_stack import ROOT, StackProcess, free_port, wait_for_port

from canopy_airflow.contract import build_run_request, run_hour
from canopy_airflow.hooks import QueueConfig
from canopy_airflow.run_queue import enqueue_run, open_queue
from canopy_airflow.triggers import CanopyRunTrigger

WORKER_MAIN = ROOT / "apps" / "worker" / "dist" / "src" / "main.js"


def start_redis(port: int, workdir) -> StackProcess:
    return StackProcess.start(
        "redis",
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--dir",
            str(workdir),
            "--maxmemory-policy",
            "noeviction",
        ],
        log=workdir / f"redis-{time.monotonic_ns()}.log",
    )


def friedman_csv(rows: int) -> str:
    import random

    rng = random.Random(1)
    lines = [",".join([f"x{j}" for j in range(8)] + ["y"])]
    for _ in range(rows):
        x = [rng.random() for _ in range(8)]
        lines.append(",".join(f"{v:.5f}" for v in x) + f",{10 * x[0] * x[1] + 5 * x[2] + rng.random():.5f}")
    return "\n".join(lines) + "\n"


def test_the_trigger_carries_on_through_a_redis_restart_and_fires_the_result(tmp_path, monkeypatch, capfd):
    port = free_port()
    redis = start_redis(port, tmp_path)
    wait_for_port(port, redis)
    url = f"redis://127.0.0.1:{port}"
    queue_name = "q-trigger-outage"
    monkeypatch.setenv("AIRFLOW_CONN_CANOPY_REDIS", f"{url}/0")
    env = {**os.environ, "REDIS_URL": url, "CANOPY_QUEUE": queue_name}
    worker = StackProcess.start("worker", ["node", str(WORKER_MAIN)], log=tmp_path / "worker.log", env=env)
    data = tmp_path / "friedman.csv"
    data.write_text(friedman_csv(20_000))
    out = tmp_path / "models"
    try:
        request = build_run_request(
            run_hour("2026-05-02T03:00Z"),
            data=str(data),
            target="y",
            out=str(out),
            params={"nEstimators": 16},
            options={"treesPerShard": 4},
        )

        async def scenario():
            queue = open_queue(QueueConfig(redis_url=url, queue_name=queue_name, prefix="bull"))
            try:
                await enqueue_run(queue, "2026050203", request)
            finally:
                await queue.close()
            trigger = CanopyRunTrigger(run_id="2026050203", queue_name=queue_name, poll_interval=0.5, redis_wait_timeout=120)
            events = trigger.run()
            waiting = asyncio.ensure_future(events.__anext__())
            deadline = time.monotonic() + 120
            while "started train run-2026050203" not in worker.output():
                assert time.monotonic() < deadline, worker.output()
                await asyncio.sleep(0.2)
            os.kill(redis.process.pid, 9)
            redis.process.wait()
            await asyncio.sleep(6)
            restarted = start_redis(port, tmp_path)
            wait_for_port(port, restarted)
            try:
                return await asyncio.wait_for(waiting, 240), restarted
            finally:
                await events.aclose()

        event, redis = asyncio.run(scenario())
        captured = capfd.readouterr()
        log = captured.out + captured.err
        assert event.payload["status"] == "completed", f"{event.payload}\n{log}\n--- worker ---\n{worker.output()[-4000:]}"
        assert event.payload["result"]["modelUrl"].startswith(str(out))
        assert (out / "2026" / "05" / "02" / "03" / "manifest.json").exists()
        assert log.count("lost Redis at") == 1, log
        assert log.count("Redis is back after") == 1, log
        assert "Unhandled error event" not in worker.output()
    finally:
        worker.stop()
        redis.stop()
