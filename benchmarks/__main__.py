"""Run every ``benchmarks/bench_*.py`` module's ``run()``; ``python -m benchmarks inactivity`` runs only matching ones.

Honours ``DATABASE_URL`` (the figures that matter are on PostgreSQL). Each
benchmark builds its data in a throwaway database, never in yours.
"""
import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    wanted = argv[1:]
    names = sorted(info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)])
                   if info.name.startswith("bench_"))
    for name in names:
        if wanted and not any(word in name for word in wanted):
            continue
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").run()


if __name__ == "__main__":
    main(sys.argv)
