"""deploy/backup/pgbackup.py, imported for the tests (it is a script, not a package)."""
import importlib.util

from django.conf import settings

_spec = importlib.util.spec_from_file_location("pgbackup", settings.BASE_DIR / "deploy" / "backup" / "pgbackup.py")
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

backup, restore, rotate, backups_to_keep = _module.backup, _module.restore, _module.rotate, _module.backups_to_keep
