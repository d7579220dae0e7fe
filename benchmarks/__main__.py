"""Run every ``benchmarks/bench_*.py`` module's ``run()``, or only those named on the command line.

    python -m benchmarks                 # all
    python -m benchmarks bench_roster    # one
"""
import importlib
import pkgutil
import sys

import benchmarks
from benchmarks import harness


def main(argv: list[str]) -> int:
    names = sorted(info.name for info in pkgutil.iter_modules(benchmarks.__path__) if info.name.startswith("bench_"))
    selected = [name for name in names if not argv or name in argv]
    unknown = sorted(set(argv) - set(names))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}", file=sys.stderr)
        return 2
    harness.django_setup()
    with harness.bench_database():
        for name in selected:
            print(f"\n=== {name} ===", flush=True)
            importlib.import_module(f"benchmarks.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
