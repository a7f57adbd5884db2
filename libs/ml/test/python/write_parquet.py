"""Writes Parquet test fixtures with pyarrow, the writer most Parquet in the wild comes from.

Reads a JSON list of requests on stdin: {"csv": path, "out": path, "row_group_size": n?, "compression": name?,
"types": {column: pyarrow type string}?, "use_dictionary": bool?, "data_page_version": "1.0" | "2.0"?,
"data_page_size": bytes?}. The CSV is read by pandas as a user's to_parquet would see it
(float_precision="round_trip" so the doubles are exactly the CSV's), then written with pyarrow.
"""

import decimal
import json
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def arrow_type(name: str) -> pa.DataType:
    if name.startswith("decimal128("):
        precision, scale = (int(part) for part in name[len("decimal128(") : -1].split(","))
        return pa.decimal128(precision, scale)
    if name.startswith("timestamp["):
        return pa.timestamp(name[len("timestamp[") : -1])
    return pa.type_for_alias(name)


def write(request: dict) -> None:
    frame = pd.read_csv(request["csv"], float_precision="round_trip")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for column, type_name in request.get("types", {}).items():
        index = table.schema.get_field_index(column)
        target = arrow_type(type_name)
        values = table.column(column)
        if pa.types.is_decimal(target):
            values = pa.array([None if v is None else decimal.Decimal(repr(v)) for v in values.to_pylist()], target)
        else:
            values = values.cast(target)
        table = table.set_column(index, pa.field(column, target), values)
    pq.write_table(
        table,
        request["out"],
        row_group_size=request.get("row_group_size"),
        compression=request.get("compression", "snappy"),
        use_dictionary=request.get("use_dictionary", True),
        data_page_version=request.get("data_page_version", "1.0"),
        data_page_size=request.get("data_page_size"),
    )


for item in json.load(sys.stdin):
    write(item)
print("ok")
