"""Speed figures, each printed next to a baseline measured in the same run (``python -m benchmarks``)."""
