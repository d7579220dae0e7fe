"""Speed figures (``python -m benchmarks``); each ``bench_*.py`` module has a ``run()``."""
