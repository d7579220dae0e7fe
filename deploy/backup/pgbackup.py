#!/usr/bin/env python3
"""Nightly backup and restore of the database and the media folder (docs/backup.md).

    pgbackup.py backup  [--dir BACKUP_DIR]            # pg_dump -Fc + tar of MEDIA_ROOT, then rotate
    pgbackup.py restore BACKUP [--database-url URL] [--media-root DIR]
    pgbackup.py rotate  [--dir BACKUP_DIR]            # keep 7 daily, 4 weekly, 12 monthly

Python's standard library only, so it runs before the project's virtualenv
exists. Reads ``DATABASE_URL``, ``MEDIA_ROOT`` and ``BACKUP_DIR`` from the
environment (the systemd unit loads the site's .env). Each backup is one
folder named by its UTC time holding ``database.dump`` and ``media.tar.gz``;
a folder is complete once ``database.dump`` and ``media.tar.gz`` are in it
(written under a ``.partial`` name first).
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

NAME_FORMAT = "%Y%m%dT%H%M%SZ"
NAME_PATTERN = re.compile(r"^\d{8}T\d{6}Z$")
DUMP, MEDIA = "database.dump", "media.tar.gz"
KEEP = {"daily": 7, "weekly": 4, "monthly": 12}


def pg_tool(name: str) -> str:
    """A PostgreSQL client program: ``PG_BIN_DIR``, then PATH, then the newest /usr/lib/postgresql/<version>/bin."""
    if os.environ.get("PG_BIN_DIR"):
        return str(Path(os.environ["PG_BIN_DIR"]) / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    if not candidates:
        sys.exit(f"找不到 PostgreSQL 客户端程序 {name}：请安装 postgresql-client，或设置 PG_BIN_DIR。")
    return max(candidates, key=lambda path: int(re.search(r"postgresql/(\d+)", path).group(1)))


def libpq_url(url: str) -> str:
    """The URL for libpq, without its password (which ``run`` passes in PGPASSWORD, not on the command line).

    django-environ accepts postgres://, postgresql://, psql:// and pgsql://; libpq the first two.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "psql", "pgsql"):
        sys.exit("DATABASE_URL 不是 PostgreSQL 数据库，无法用 pg_dump 备份。")
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))


def run(args: list[str], *, database_url: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    password = urlsplit(database_url).password
    if password:
        env["PGPASSWORD"] = unquote(password)
    return subprocess.run(args, check=True, env=env, **kwargs)


# --- rotation ---------------------------------------------------------------

def backups_to_keep(days: list[date], *, daily: int = KEEP["daily"], weekly: int = KEEP["weekly"],
                    monthly: int = KEEP["monthly"]) -> set[date]:
    """The backups kept: the newest of each of the last ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months.

    ``days`` are the days of the backups (one backup a day, or the newest of
    the day). A week's or a month's backup is its newest one, so the oldest
    kept backups move forward as time passes.
    """
    kept: set[date] = set()
    for period, count in ((lambda d: d, daily), (lambda d: d.isocalendar()[:2], weekly),
                          (lambda d: (d.year, d.month), monthly)):
        newest: dict = {}
        for day in sorted(days, reverse=True):
            newest.setdefault(period(day), day)
        kept.update(sorted(newest.values(), reverse=True)[:count])
    return kept


def rotate(directory: Path) -> list[Path]:
    """Delete the backup folders ``backups_to_keep`` does not keep; returns those deleted."""
    folders = sorted(path for path in directory.iterdir() if path.is_dir() and NAME_PATTERN.match(path.name))
    newest_of_day = {}
    for folder in folders:  # ascending: the last one of a day wins
        newest_of_day[_day(folder)] = folder
    kept = {newest_of_day[day] for day in backups_to_keep(list(newest_of_day))}
    removed = [folder for folder in folders if folder not in kept]
    for folder in removed:
        shutil.rmtree(folder)
        print(f"已删除过期备份 {folder}")
    return removed


def _day(folder: Path) -> date:
    return datetime.strptime(folder.name, NAME_FORMAT).date()


# --- backup and restore ----------------------------------------------------

def backup(directory: Path, *, database_url: str, media_root: Path, now: datetime | None = None) -> Path:
    now = now or datetime.now(timezone.utc)
    target = directory / now.strftime(NAME_FORMAT)
    target.mkdir(parents=True, exist_ok=False)
    os.chmod(directory, 0o700)
    dump = target / (DUMP + ".partial")
    run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}",
         f"--dbname={libpq_url(database_url)}"], database_url=database_url)
    dump.rename(target / DUMP)
    media = target / (MEDIA + ".partial")
    with tarfile.open(media, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname=".")
    media.rename(target / MEDIA)
    print(f"已备份到 {target}")
    return target


def restore(source: Path, *, database_url: str, media_root: Path) -> None:
    """Restore a backup folder into an empty (or not yet existing) database and an empty media folder."""
    for name in (DUMP, MEDIA):
        if not (source / name).exists():
            sys.exit(f"{source} 不是完整的备份：缺少 {name}。")
    url = libpq_url(database_url)
    if media_root.exists() and any(media_root.iterdir()):
        sys.exit(f"媒体目录 {media_root} 不是空的：请恢复到新的空目录。")
    _create_database_if_missing(url, database_url=database_url)
    tables = run([pg_tool("psql"), "--no-psqlrc", "-Atc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                  url], database_url=database_url, capture_output=True, text=True).stdout.strip()
    if tables != "0":
        sys.exit("目标数据库已有数据表：请恢复到新的空数据库，不要覆盖正在使用的数据库。")
    run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={url}",
         str(source / DUMP)], database_url=database_url)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA, "r:gz") as archive:
        # The "data" filter (Python ≥ 3.11.4) refuses links and paths leaving media_root.
        archive.extractall(media_root, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    print(f"已从 {source} 恢复数据库和媒体文件")


def _create_database_if_missing(url: str, *, database_url: str) -> None:
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        sys.exit("新数据库的名称只能包含字母、数字和下划线。")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    exists = run([pg_tool("psql"), "--no-psqlrc", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
                  maintenance], database_url=database_url, capture_output=True, text=True).stdout.strip()
    if not exists:
        run([pg_tool("createdb"), f"--maintenance-db={maintenance}", name], database_url=database_url)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="备份和恢复数据库与媒体文件（见 docs/backup.md）")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("backup", "rotate"):
        command = commands.add_parser(name)
        command.add_argument("--dir", default=os.environ.get("BACKUP_DIR"), help="备份目录（默认 $BACKUP_DIR）")
    command = commands.add_parser("restore")
    command.add_argument("backup", help="要恢复的备份目录，如 /var/backups/mobile-party/20261202T190000Z")
    command.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="恢复到的新数据库")
    command.add_argument("--media-root", default=os.environ.get("MEDIA_ROOT"), help="恢复到的空媒体目录")
    args = parser.parse_args(argv)
    if args.command == "restore":
        if not args.database_url or not args.media_root:
            parser.error("需要 --database-url 和 --media-root（或 DATABASE_URL、MEDIA_ROOT 环境变量）")
        restore(Path(args.backup), database_url=args.database_url, media_root=Path(args.media_root))
        return 0
    if not args.dir:
        parser.error("需要 --dir 或 BACKUP_DIR 环境变量")
    directory = Path(args.dir)
    if args.command == "backup":
        if not os.environ.get("DATABASE_URL") or not os.environ.get("MEDIA_ROOT"):
            parser.error("需要 DATABASE_URL 和 MEDIA_ROOT 环境变量")
        backup(directory, database_url=os.environ["DATABASE_URL"], media_root=Path(os.environ["MEDIA_ROOT"]))
    rotate(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
