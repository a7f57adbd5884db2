"""Per-hour input URLs on the Python side: the same expansion as the workers' (libs/pipeline/src/data-template.ts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from canopy_airflow.data_url import data_url_kind, expand_data_url, has_placeholders


@pytest.mark.parametrize(
    ("template", "hour", "url"),
    [
        ("s3://lake/events/%Y/%m/%d/%H/", datetime(2026, 12, 3, 14, tzinfo=UTC), "s3://lake/events/2026/12/03/14/"),
        ("s3://b/dt=%Y-%m-%d/hr=%H/part-*.gz", datetime(2027, 1, 1, 0, tzinfo=UTC), "s3://b/dt=2027-01-01/hr=00/part-*.gz"),
        ("file:///data/100%%/%H.csv", datetime(2026, 1, 9, 5, tzinfo=UTC), "file:///data/100%/05.csv"),
        ("file:///data/my%20file%y.csv", datetime(2026, 1, 9, 5, tzinfo=UTC), "file:///data/my%20file%y.csv"),
        ("s3://b/%%Y/%Y", datetime(2026, 1, 9, 5, tzinfo=UTC), "s3://b/%Y/2026"),
        # An offset is converted to UTC, and the hour floored, as the run's hour is.
        ("%Y/%m/%d/%H", datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2))), "2026/03/28/23"),
    ],
)
def test_the_hour_fills_the_placeholders_in_utc(template, hour, url):
    assert expand_data_url(template, hour) == url


def test_placeholders_and_kinds_are_told_apart():
    assert has_placeholders("s3://lake/%Y/%m/")
    assert not has_placeholders("s3://b/100%%/x.csv")
    assert data_url_kind("s3://lake/2026/") == "prefix"
    assert data_url_kind("s3://lake/2026/part-*.csv.gz") == "glob"
    assert data_url_kind("s3://lake/*/x.csv") == "object"
