"""Shared helpers of the Python workloads: the count argument and the JSON report."""
import json
import sys
import time

CHUNK = 64 * 1024
WARMUP_TRIPS = 1000
now_ns = time.perf_counter_ns


def count(default):
    return int(sys.argv[1]) if len(sys.argv) > 1 else default


def report(workload, value, n):
    print(json.dumps({"workload": workload, "value": value, "n": n}), flush=True)


def na(workload, reason):
    print(json.dumps({"workload": workload, "na": reason}), flush=True)
