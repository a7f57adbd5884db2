"""Canopy's Airflow 3 integration: the queue contract, a BullMQ hook, a deferrable operator and its trigger.

The trigger must live in an installed package: Airflow's triggerer does not import code from the DAG folder.
"""

__version__ = "0.1.0"
