"""The one place that reads the environment (django-environ)."""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A developer's local overrides (never committed); `make run` writes one.
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")
