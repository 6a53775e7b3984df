"""`python -m benchmarks`: every benchmark in turn, each printing its figures and baseline.

python -m benchmarks            # full size (about 10 minutes on 2 cores)
python -m benchmarks --quick    # small sizes, to check they run
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

FULL = {
    "directory lookup (10,000 networks) vs raw SQLite FTS5": ["benchmarks.directory_lookup"],
    "events: 100 feeds x 500 events vs bare recurring-ical-events": ["benchmarks.events_feeds"],
    "Matrix latency and burst vs a bare nio bot": ["benchmarks.latency"],
}
QUICK = {
    "directory lookup (1,000 networks)": [
        "benchmarks.directory_lookup",
        "--networks",
        "1000",
        "--queries",
        "200",
    ],
    "events: 10 feeds x 100 events": [
        "benchmarks.events_feeds",
        "--feeds",
        "10",
        "--events",
        "100",
    ],
    "Matrix latency (30 pings, burst 100)": [
        "benchmarks.latency",
        "--pings",
        "30",
        "--burst",
        "100",
    ],
}


def main() -> int:
    parser = argparse.ArgumentParser(description="Run all Lotse benchmarks.")
    parser.add_argument("--quick", action="store_true", help="small sizes")
    args = parser.parse_args()
    failed = 0
    for title, argv in (QUICK if args.quick else FULL).items():
        print(f"\n=== {title}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", *argv])
        print(f"--- {time.monotonic() - started:.0f} s, exit {code}", flush=True)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
