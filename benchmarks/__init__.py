"""Speed and memory benchmarks, run with ``python -m benchmarks`` (``make bench``).

Each ``bench_*.py`` module has a ``run()`` that prints its figures, each next
to a baseline measured in the same run. They run against a throw-away
database created from ``DATABASE_URL`` (PostgreSQL for figures that count).
"""
