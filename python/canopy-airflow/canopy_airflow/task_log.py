"""Lines of the Airflow task log written for people: what happened first, numbers rounded, states named truthfully."""

from __future__ import annotations

from typing import Any

_ACTIONS = {
    "added": "enqueued as job {job} (waiting for a worker)",
    "replaced": "enqueued again as job {job} (the hour's {previous} job was removed)",
    "existing": "already in the queue as job {job} ({state}); nothing added",
}


def enqueue_line(run_id: str, action: str, job_id: str, state: str, previous: str | None = None) -> str:
    """What enqueueing did, without claiming a state the run may leave a moment later."""
    text = _ACTIONS.get(action, "job {job}: " + action).format(job=job_id, state=state, previous=previous or "earlier")
    return f"Canopy run {run_id}: {text}"


def format_metric(value: Any) -> str:
    """4 significant digits for measurements (43.25599999999999 -> 43.26), whole numbers as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.1f}"


def metrics_text(metrics: dict[str, Any] | None) -> str:
    """`r2=0.4646 rmse=52.97 …`, in the worker's order, without the task name."""
    return " ".join(f"{key}={format_metric(value)}" for key, value in (metrics or {}).items() if key != "task")


def outcome_line(run_id: str, event: dict[str, Any]) -> str:
    """The one line that says how the run ended: trained (with its model and metrics) or failed (with the reason)."""
    status = event.get("status")
    if status == "completed":
        result = event.get("result") or {}
        how = "REUSED (already published from the same inputs and settings)" if result.get("reused") else "TRAINED"
        return f"Canopy run {run_id}: {how} - model {result.get('modelUrl')}; {metrics_text(result.get('metrics'))}"
    if status == "failed":
        kind = " (permanent: data or settings, no retry)" if event.get("permanent") else ""
        return f"Canopy run {run_id}: FAILED{kind} - {bounded_reason(str(event.get('failedReason')))}"
    if status == "missing":
        return f"Canopy run {run_id}: FAILED - its job disappeared from the queue before finishing"
    return f"Canopy run {run_id}: unexpected outcome {status!r}"


#: The most a failure reason printed to the task log holds (the workers cap theirs the same way).
MAX_REASON_CHARACTERS = 1000


def bounded_reason(reason: str) -> str:
    """A failure reason on one line of at most 1,000 characters, saying how long it was when it had to be cut."""
    line = " ".join(part.strip() for part in reason.splitlines()) if "\n" in reason else reason
    if len(line) <= MAX_REASON_CHARACTERS:
        return line
    note = f"… ({len(line):,} characters in all)"
    return line[: MAX_REASON_CHARACTERS - len(note)] + note
