"""Benchmark the record codec: per-record decode and encode, xmlschema vs the fast lxml path.

Decoding is what a registry does on every read (stored XML -> validated JSON); encoding is
what it does on every write (JSON -> validated XML + canonical JSON). Both columns run in the
same process on the same records, drawn from a seeded synthetic population.

    .venv/bin/python bench/registries_codec.py [--persons 400] [--repeat 3]

Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registries.seed.population import PopulationGenerator
from schemas import codec
from schemas.safe_xml import parse_xml


def _slow_decode(name: str, document: bytes) -> Any:
    element = parse_xml(document)
    codec.validate_element(name, element)
    return codec.xmlschema_decode(name, element)


def _slow_encode(name: str, data: Any) -> Any:
    element = codec._xmlschema_encode(name, data)
    return _slow_decode(name, codec.serialize(element))


def _per_call_us(action: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    records: dict[str, list[tuple[dict[str, Any], bytes]]] = defaultdict(list)
    for batch in PopulationGenerator(7).households(args.persons):
        for name, data in batch.records:
            records[name].append((data, codec.serialize(codec.build_element(name, data))))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; best of {args.repeat}")
    header = f"{'record type':<22}{'n':>6}  {'decode xmlschema':>17} {'fast':>9} {'x':>5}"
    print(f"{header}  {'encode xmlschema':>17} {'fast':>9} {'x':>5}")
    for name, items in sorted(records.items()):
        count = len(items)

        def slow_decode(items: list[tuple[dict[str, Any], bytes]] = items, n: str = name) -> None:
            for _, document in items:
                _slow_decode(n, document)

        def fast_decode(items: list[tuple[dict[str, Any], bytes]] = items, n: str = name) -> None:
            for _, document in items:
                codec.from_xml(n, document)

        def slow_encode(items: list[tuple[dict[str, Any], bytes]] = items, n: str = name) -> None:
            for data, _ in items:
                _slow_encode(n, data)

        def fast_encode(items: list[tuple[dict[str, Any], bytes]] = items, n: str = name) -> None:
            for data, _ in items:
                codec.encode_record(n, data)

        decode = [_per_call_us(f, args.repeat) / count * 1e6 for f in (slow_decode, fast_decode)]
        encode = [_per_call_us(f, args.repeat) / count * 1e6 for f in (slow_encode, fast_encode)]
        print(
            f"{name:<22}{count:>6}  {decode[0]:>14.0f} us {decode[1]:>6.0f} us "
            f"{decode[0] / decode[1]:>5.0f}  {encode[0]:>14.0f} us {encode[1]:>6.0f} us "
            f"{encode[0] / encode[1]:>5.0f}"
        )
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
