"""Run every ``benchmarks/bench_*.py`` module's ``run()``, or only those whose name contains a given word.

    python -m benchmarks                 # all
    python -m benchmarks roster          # bench_roster only

Each benchmark builds its data in a throw-away database of its own, made from
``DATABASE_URL``'s server (the figures that count are on PostgreSQL).
"""
import importlib
import pkgutil
import sys

import benchmarks
from benchmarks import harness


def main(argv: list[str]) -> int:
    names = sorted(info.name for info in pkgutil.iter_modules(benchmarks.__path__) if info.name.startswith("bench_"))
    selected = [name for name in names if not argv or any(word in name for word in argv)]
    if not selected:
        print(f"no benchmark matches {' '.join(argv)}; available: {', '.join(names)}", file=sys.stderr)
        return 2
    harness.django_setup()
    for name in selected:
        print(f"\n=== {name} ===", flush=True)
        importlib.import_module(f"benchmarks.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
