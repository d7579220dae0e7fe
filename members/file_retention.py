"""Delete roster files kept past their time (settings ``EXPORT_FILE_RETENTION_DAYS``, ``IMPORT_UPLOAD_RETENTION_DAYS``).

The rows stay: an export is marked 已过期 (its download says so) and the
personal-data access log keeps who exported what; an upload never confirmed
is marked 已放弃. Two reads and two updates whatever the number of files, and
a second run finds nothing left to do.
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from members.models import RosterExport, RosterImport

logger = logging.getLogger(__name__)


@dataclass
class RetentionResult:
    exports: list[str] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"过期名册导出文件删除 {len(self.exports)} 个", f"未确认的导入文件删除 {len(self.uploads)} 个"]


def roster_files_expire(*, now: datetime) -> RetentionResult:
    export_cutoff = now - timedelta(days=settings.EXPORT_FILE_RETENTION_DAYS)
    upload_cutoff = now - timedelta(days=settings.IMPORT_UPLOAD_RETENTION_DAYS)
    result = RetentionResult()
    result.exports = _expire(
        RosterExport.objects.filter(status=RosterExport.Status.DONE, finished_at__lt=export_cutoff),
        status=RosterExport.Status.EXPIRED, what="roster export")
    result.uploads = _expire(
        RosterImport.objects.filter(status=RosterImport.Status.PREVIEWED, created_at__lt=upload_cutoff),
        status=RosterImport.Status.DISCARDED, what="unconfirmed roster upload")
    return result


@transaction.atomic
def _expire(queryset, *, status: str, what: str) -> list[str]:
    """Mark the rows, then delete their files once the marking is committed (a rollback leaves the files)."""
    # skip_locked: an upload being confirmed right now is left to its confirmation.
    rows = list(queryset.select_for_update(skip_locked=True).values_list("pk", "file"))
    if not rows:
        return []
    queryset.model.objects.filter(pk__in=[pk for pk, _name in rows]).update(status=status, file="")
    names = [name for _pk, name in rows if name]
    transaction.on_commit(lambda: _delete_files(names, what=what))
    return names


def _delete_files(names: list[str], *, what: str) -> None:
    for name in names:
        default_storage.delete(name)  # a file already gone is not an error
        logger.info("retention: deleted %s %s", what, name)
