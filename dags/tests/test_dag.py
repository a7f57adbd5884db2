"""The DAG file parses in real Airflow with the schedule the contract needs."""

from __future__ import annotations

from types import SimpleNamespace

import pendulum
from airflow.dag_processing.dagbag import DagBag
from airflow.serialization.serialized_objects import DagSerialization
from airflow.timetables.base import DataInterval, TimeRestriction
from canopy_stack import ROOT

from canopy_airflow.contract import hour_of_dag_run, run_folder
from canopy_airflow.operators import CanopyTrainingOperator
from canopy_airflow.sensors import InputObjectSensor

DAG_ID = "canopy_hourly_training"


def utc(*args):
    return pendulum.datetime(*args, tz="UTC")


def load_dag():
    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert bag.import_errors == {}, bag.import_errors
    assert list(bag.dags) == [DAG_ID], "only the training DAG (dags/tests is excluded by .airflowignore)"
    return bag.dags[DAG_ID]


def scheduled(dag):
    """The DAG as the scheduler sees it (serialized, with the core timetable)."""
    return DagSerialization.from_dict(DagSerialization.to_dict(dag))


def test_dag_imports_with_hourly_utc_data_interval_schedule(airflow_db):
    dag = load_dag()
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.timetable.expression == "0 * * * *"
    assert str(dag.timetable.timezone) == "UTC"
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert dag.default_args["retries"] == 2
    assert [task.task_id for task in dag.topological_sort()] == ["wait_for_input", "train"]
    assert isinstance(dag.get_task("train"), CanopyTrainingOperator)
    assert isinstance(dag.get_task("wait_for_input"), InputObjectSensor)
    assert dag.get_task("train").redis_conn_id == "canopy_redis"
    assert dag.get_task("wait_for_input").aws_conn_id == "canopy_aws"


def test_the_run_starting_at_15_covers_14_to_15_and_writes_hour_14(airflow_db):
    timetable = scheduled(load_dag()).timetable
    info = timetable.next_dagrun_info(
        last_automated_data_interval=DataInterval(utc(2026, 3, 4, 13), utc(2026, 3, 4, 14)),
        restriction=TimeRestriction(earliest=utc(2026, 1, 1), latest=None, catchup=True),
    )
    assert info.run_after == utc(2026, 3, 4, 15)
    assert info.data_interval == DataInterval(utc(2026, 3, 4, 14), utc(2026, 3, 4, 15))
    assert info.logical_date == info.data_interval.start
    context = {"logical_date": info.logical_date, "dag_run": SimpleNamespace(run_after=info.run_after)}
    assert run_folder(hour_of_dag_run(context)) == "2026/03/04/14"


def test_catchup_is_turned_on_by_the_environment_or_the_variable(airflow_db, monkeypatch):
    monkeypatch.setenv("CANOPY_CATCHUP", "true")
    assert load_dag().catchup is True
    monkeypatch.delenv("CANOPY_CATCHUP")
    monkeypatch.setenv("AIRFLOW_VAR_CANOPY_CATCHUP", "true")
    assert load_dag().catchup is True
    monkeypatch.setenv("AIRFLOW_VAR_CANOPY_CATCHUP", "false")
    assert load_dag().catchup is False


def test_retries_come_from_the_environment(airflow_db, monkeypatch):
    monkeypatch.setenv("CANOPY_TASK_RETRIES", "0")
    assert load_dag().default_args["retries"] == 0


def test_the_dag_file_holds_no_secrets():
    text = (ROOT / "dags" / "canopy_hourly_training.py").read_text().lower()
    for needle in ("password", "secret_access_key", "redis://", "aws_access_key_id"):
        assert needle not in text, needle


def test_backfilling_a_day_gives_one_run_per_hour_each_writing_its_own_hour(airflow_db):
    # `airflow backfill create --from-date D --to-date D+23h` creates the runs whose logical dates fall in the
    # window, inclusive: this is the same computation (iter_dagrun_infos_between), on the DAG as the scheduler sees it.
    dag = scheduled(load_dag())
    infos = list(dag.iter_dagrun_infos_between(utc(2026, 3, 3, 0), utc(2026, 3, 3, 23)))
    folders = [run_folder(hour_of_dag_run({"logical_date": info.logical_date})) for info in infos]
    assert folders == [f"2026/03/03/{hour:02d}" for hour in range(24)]
    assert all(info.logical_date == info.data_interval.start for info in infos)
