"""What every benchmark needs: Django, a throw-away database, child processes, one report format.

Time and peak memory are measured in a fresh child process per figure, so
that one measurement's memory cannot inflate the next and the peak resident
set size (``ru_maxrss``) covers C allocations too (the database driver, XML).
"""
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "config.settings_test"
_database_url = None


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


@contextmanager
def bench_database():
    """Create ``bench_<name>`` from DATABASE_URL's server (SQLite: a file), migrate it, drop it afterwards.

    With ``BENCH_DATABASE=<name>`` the database of that name is made once, migrated on every run and kept
    (large data sets are built once and measured again after a change; the benchmark decides whether its
    data are already there).
    """
    global _database_url
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    database = settings.DATABASES["default"]
    kept = os.environ.get("BENCH_DATABASE", "")
    if connection.vendor == "postgresql":
        database.setdefault("TEST", {})["NAME"] = kept or f"bench_{database['NAME']}"
    else:
        print("注意：DATABASE_URL 未指向 PostgreSQL，以下数字仅供参考（目标按 PostgreSQL 计）。")
        (ROOT / "var").mkdir(exist_ok=True)
        database.setdefault("TEST", {})["NAME"] = str(ROOT / "var" / "bench.sqlite3")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=bool(kept))
    if "replica" in settings.DATABASES:  # the replica router's alias reads the bench database too
        from django.db import connections

        connections["replica"].creation.set_as_test_mirror(connection.settings_dict)
    _database_url = _url_for(database)
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()  # the replica alias's own connection too
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=bool(kept))
        teardown_test_environment()


def _url_for(database: dict) -> str:
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{auth}{database.get('HOST') or ''}{port}/{database['NAME']}"


def run_child(module: str, *args: str) -> dict:
    """Run ``python -m <module> <args>`` against the bench database; return the JSON it prints last."""
    env = dict(os.environ, DATABASE_URL=_database_url, DJANGO_SETTINGS_MODULE=SETTINGS)
    result = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=3600)
    if result.returncode != 0:
        raise RuntimeError(f"{module} {args} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _status_mb(key: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark of this process (Linux ≥ 4.0), so the peak is the work's own."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


@contextmanager
def measured(result: dict):
    """Fill ``result`` with the seconds taken, the RSS before, and the peak RSS while measuring."""
    _reset_peak_rss()
    result["rss_before_mb"] = _status_mb("VmRSS") or peak_rss_mb()
    start = time.perf_counter()
    yield result
    result["seconds"] = time.perf_counter() - start
    result["peak_rss_mb"] = peak_rss_mb()


def print_child_result(result: dict) -> None:
    print(json.dumps(result), flush=True)


def report(label: str, value: float, unit: str, *, baseline: float | None = None, baseline_label: str = "",
           target: str = "", ok: bool | None = None) -> None:
    line = f"{label:<44} {value:>10.2f} {unit:<6}"
    if baseline is not None:
        line += f"  baseline {baseline:>8.2f} {unit:<6} ratio {value / baseline:5.2f}×"
        if baseline_label:
            line += f" ({baseline_label})"
    if target:
        line += f"  target {target}"
    if ok is not None:
        line += "  OK" if ok else "  MISSED"
    print(line, flush=True)


def insert_select(table: str, columns: str, select: str) -> str:
    """``INSERT INTO table (columns, …) SELECT …``: the generated rows, and the model's default in every other
    NOT NULL column, so that a column added later with a default does not break the benchmark's SQL."""
    extra_columns, extra_values = _defaults_left_out(table, {name.strip() for name in columns.split(",")})
    return (f"INSERT INTO {table} ({columns}{extra_columns}) "
            f"SELECT given.*{extra_values} FROM ({select}) AS given")


def _defaults_left_out(table: str, given: set[str]) -> tuple[str, str]:
    from django.apps import apps
    from django.db import connection

    model = next(model for model in apps.get_models() if model._meta.db_table == table)
    columns, values = [], []
    with connection.cursor() as cursor:
        for field in model._meta.concrete_fields:
            if field.primary_key or field.null or field.column in given:
                continue
            default = field.get_default()
            if default is None:
                raise ValueError(f"{table}.{field.column} is NOT NULL without a default: the generator must fill it")
            columns.append(field.column)
            values.append(cursor.mogrify("%s", [field.get_db_prep_save(default, connection)]).decode())
    return "".join(f", {column}" for column in columns), "".join(f", {value}" for value in values)
