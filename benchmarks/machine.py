"""The machine the benchmarks ran on: cores, memory and CPU model; prints JSON."""

from __future__ import annotations

import json

from benchmarks.common import machine

if __name__ == "__main__":
    print(json.dumps({"benchmark": "machine", "machine": machine()}))
