"""Writes to the member registry. Every write records who made it."""
import tempfile
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from config.db_router import using_replica
from members import dues, dues_ledger
from members.bulk import bulk_history, bulk_insert, bulk_update_rows
from members.choices import IdLookupPath
from members.id_lookups import HELD_OUTSIDE_REFUSAL, id_lookups_take
from members.masking import can_see_personal_data, mask_id_number
from members.models import DuesPayment, Member, PersonalDataAccess, RosterColumnChoice, RosterExport, RosterImport
from members.signals import roster_rows_imported
from organizations.models import Organization
from places.display import fill_place_text

IMPORT_BATCH_SIZE = 1000


@dataclass
class MemberChange:
    """An imported update: the member with its new values, the version they were based on, what changed."""

    member: Member
    expected_version: int
    fields: list[str]


class StaleEditError(ValidationError):
    """The record changed after the user opened it."""


class ImportAlreadyHandled(Exception):
    """The upload was confirmed (or replaced by a newer one) in another request, e.g. a double click."""


def _check_in_tree(*, organization: Organization, acting_user) -> None:
    if not Organization.objects.visible_to(acting_user).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("只能管理本组织及下级组织的党员。"))


def _check_liaison(member: Member) -> None:
    if member.liaison_id and member.liaison.organization_id != member.organization_id:
        raise ValidationError({"liaison": _("联系人必须是同一党支部的党员。")})
    chief = member.committee_member
    if chief is not None and (chief.organization_id != member.organization_id or not chief.is_committee_member):
        raise ValidationError({"committee_member": _("包干支委必须是同一党支部、已标记为支部委员的党员。")})


def _save(member: Member, *, acting_user, reason: str) -> Member:
    fill_place_text(member)
    member.full_clean()
    _check_liaison(member)
    member._history_user = acting_user
    member._change_reason = reason
    member.save()
    return member


def _refuse_id_number_held_outside(*, acting_user, path: str, id_number: str) -> None:
    """Refuse, with one neutral text, an ID number held by a member outside the user's tree.

    The lookup is logged and counted against the user's hourly allowance
    (``members.id_lookups``); once that is used up, every request through the
    door is refused, whatever its number. A number held inside the tree is
    answered with where that member is registered: the user may see that member.
    Runs outside the write's transaction, so that the log outlives a refusal.
    """
    outside = (Member.objects.filter(id_number=id_number)
               .exclude(pk__in=Member.objects.visible_to(acting_user).values("pk")).exists())
    id_lookups_take(acting_user=acting_user, path=path, held_outside=[id_number] if outside else [])
    if outside:
        raise ValidationError({"id_number": HELD_OUTSIDE_REFUSAL}, code="held_outside")
    _refuse_id_number_held_inside(acting_user=acting_user, id_number=id_number)


def _refuse_id_number_held_inside(*, acting_user, id_number: str) -> None:
    """Say where a number already held in the user's own tree is registered (the user may see that member).

    The number is shown as the user would see it anywhere else: masked for the roles that see masked data.
    """
    holder = Member.objects.filter(id_number=id_number).select_related("organization").first()
    if holder is None:
        return
    shown = id_number if can_see_personal_data(acting_user) else mask_id_number(id_number)
    raise ValidationError({"id_number": _("身份证号码为 %(number)s 的党员已在%(organization)s登记。")
                           % {"number": shown, "organization": holder.organization.name}}, code="unique")


def member_create(*, acting_user, lookup_counted: bool = False, **fields) -> Member:
    """Add a member. ``lookup_counted``: the caller (流入登记) has already logged and counted this ID lookup."""
    member = Member(**fields)
    _check_in_tree(organization=member.organization, acting_user=acting_user)
    if not lookup_counted:
        _refuse_id_number_held_outside(acting_user=acting_user, path=IdLookupPath.MEMBER_CREATE,
                                       id_number=member.id_number)
    member.dues_paid_through = dues.paid_through(start_month=member.dues_start_month, spans=[])
    with transaction.atomic():
        return _save(member, acting_user=acting_user, reason=_("新增党员"))


def member_update(*, member: Member, expected_version: int, acting_user, reason: str = "", **fields) -> Member:
    """Apply ``fields`` unless someone else saved the record since ``expected_version``.

    The row is locked for the check, so two concurrent saves cannot both pass.
    A new ID number is looked up like one typed into 新增党员. ``reason``: what the history says
    (修改党员信息 unless given).
    """
    stored_id_number = Member.objects.filter(pk=member.pk).values_list("id_number", flat=True).first()
    if "id_number" in fields and fields["id_number"] != stored_id_number:
        _refuse_id_number_held_outside(acting_user=acting_user, path=IdLookupPath.MEMBER_UPDATE,
                                       id_number=fields["id_number"])
    return _member_update(member=member, expected_version=expected_version, acting_user=acting_user,
                          reason=reason or _("修改党员信息"), **fields)


@transaction.atomic
def _member_update(*, member: Member, expected_version: int, acting_user, reason: str, **fields) -> Member:
    current = Member.objects.select_for_update().get(pk=member.pk)
    if current.version != expected_version:
        raise StaleEditError(
            _("该记录在您打开后已被他人修改，为避免覆盖对方的修改，本次保存未生效。请重新打开页面查看最新内容后再修改。"),
            code="stale",
        )
    _check_in_tree(organization=current.organization, acting_user=acting_user)  # where it is now
    for name, value in fields.items():
        setattr(current, name, value)
    _check_in_tree(organization=current.organization, acting_user=acting_user)  # where it goes
    if "dues_start_month" in fields:
        current.dues_paid_through = dues_ledger.refreshed_paid_through(current)
    current.version += 1
    return _save(current, acting_user=acting_user, reason=reason)


@transaction.atomic
def member_delete(*, member: Member, acting_user) -> None:
    _check_in_tree(organization=member.organization, acting_user=acting_user)
    member._history_user = acting_user
    member._change_reason = _("删除党员")
    try:
        member.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationError(_("该党员已有外出登记、活动证等业务记录，不能删除。"))


def _access_row(*, acting_user, action: str, page: str, member: Member | None, detail: dict,
                row_count: int = 1) -> PersonalDataAccess:
    return PersonalDataAccess(
        user=acting_user, action=action, page=page, detail=detail, row_count=row_count,
        member=member if member is not None and member.pk else None,
        member_name=member.name if member is not None else "",
        member_id_masked=mask_id_number(member.id_number) if member is not None else "",
    )


def personal_data_access_log_many(*, acting_user, action: str, page: str, members,
                                  detail: dict | None = None) -> list[PersonalDataAccess]:
    """Record that ``members``' full personal data was shown to ``acting_user``, in one insert.

    A member that is not saved (an import row that would be new) is recorded
    by its name and masked ID number only.
    """
    detail = detail or {}
    rows = [_access_row(acting_user=acting_user, action=action, page=page, member=member, detail=detail)
            for member in members]
    return PersonalDataAccess.objects.bulk_create(rows) if rows else []


def personal_data_access_log(*, acting_user, action: str, page: str = "", member: Member | None = None,
                             detail: dict | None = None, row_count: int = 1) -> PersonalDataAccess:
    """Record one access: one member, or an export of ``row_count`` rows."""
    row = _access_row(acting_user=acting_user, action=action, page=page, member=member, detail=detail or {},
                      row_count=row_count)
    row.save()
    return row


@transaction.atomic
def member_record_add(*, record_class, member: Member, acting_user, **fields):
    """Add a dated record (contact, thought report, organizational life, dues, work, excuse).

    The entry is made in the name of the acting user's organization, which
    must be able to see the member.
    """
    if not Member.objects.visible_to(acting_user).filter(pk=member.pk).exists():
        raise PermissionDenied(_("只能为本组织及下级组织的党员登记记录。"))
    record = record_class(member=member, recorded_by=acting_user.organization, created_by=acting_user, **fields)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def dues_payment_add(*, member: Member, acting_user, first_month, last_month, amount, paid_on, paid_where: str,
                     by_proxy: bool = False, receipt_number: str = "", back_payment_reason: str = "",
                     reason: str = "") -> DuesPayment:
    """Record a payment and recompute the member's 党费缴至 from all payments (``members.dues``).

    Payments may arrive in any order: one filling a gap moves 党费缴至 over
    the months it joins up, one after a gap leaves it where it is. The
    member row is locked, so two payments entered at once both count; the
    member's ``version`` moves on, so a form opened before the payment
    cannot write old values back. ``reason``: what the member's history says (登记党费缴纳 unless given).
    """
    if not Member.objects.visible_to(acting_user).filter(pk=member.pk).exists():
        raise PermissionDenied(_("只能为本组织及下级组织的党员登记记录。"))
    current = Member.objects.select_for_update().get(pk=member.pk)
    first_month, last_month = dues.month_start(first_month), dues.month_start(last_month)
    errors = dues.payment_errors(first_month=first_month, last_month=last_month, paid_on=paid_on, amount=amount,
                                 monthly=current.monthly_dues, back_payment_reason=back_payment_reason,
                                 start_month=current.dues_start_month)
    if not errors and DuesPayment.objects.filter(
            member=current, first_month__lte=last_month, last_month__gte=first_month).exists():
        errors["first_month"] = _("所选月份中已有月份登记过党费，请勿重复登记。")
    if errors:
        raise ValidationError(errors)
    beyond = dues.is_beyond_back_limit(first_month=first_month, paid_on=paid_on)
    payment = member_record_add(
        record_class=DuesPayment, member=current, acting_user=acting_user, first_month=first_month,
        last_month=last_month, amount=amount, paid_on=paid_on, paid_where=paid_where, by_proxy=by_proxy,
        receipt_number=receipt_number, beyond_back_limit=beyond,
        back_payment_reason=back_payment_reason.strip() if beyond else "",
    )
    _refresh_dues(current, acting_user=acting_user, paid_where=paid_where, reason=reason or _("登记党费缴纳"))
    member.dues_paid_through, member.dues_paid_where, member.version = (
        current.dues_paid_through, current.dues_paid_where, current.version)
    return payment


def _refresh_dues(member: Member, *, acting_user, reason: str, paid_where: str = "") -> None:
    """Recompute 党费缴至 of the locked ``member`` and save it when it (or where dues are paid) changed."""
    paid_through = dues_ledger.refreshed_paid_through(member)
    paid_where = paid_where or member.dues_paid_where
    if (paid_through, paid_where) != (member.dues_paid_through, member.dues_paid_where):
        member.dues_paid_through, member.dues_paid_where = paid_through, paid_where
        member.version += 1
        _save(member, acting_user=acting_user, reason=reason)
def roster_export_start(*, acting_user, query: str, total_rows: int) -> RosterExport:
    """Queue a large roster export; the Celery worker writes the file."""
    from members.tasks import roster_export_run

    job = RosterExport.objects.create(user=acting_user, query=query, total_rows=total_rows)
    transaction.on_commit(lambda: roster_export_run.delay(job.pk))
    return job


@transaction.atomic
def member_import(*, acting_user, creates: list[Member], updates: list[MemberChange]) -> dict[str, int]:
    """Write an import plan in one transaction: every row or none.

    The rows were validated by the dry run with the model's field validators
    and ``clean()``; foreign keys and ID-number uniqueness were checked for the
    whole file at once, which is why this writes in bulk rather than through
    ``member_create``/``member_update`` one row at a time. Each update carries
    the version the dry run saw: if anyone saved one of those members since,
    nothing is written.
    """
    allowed = set(Organization.objects.visible_to(acting_user).member_holding().values_list("pk", flat=True))
    if any(member.organization_id not in allowed for member in creates + [c.member for c in updates]):
        raise PermissionDenied(_("只能导入到本组织及下级组织。"))
    current: dict[int, int] = {}
    pks = [change.member.pk for change in updates]
    for start in range(0, len(pks), IMPORT_BATCH_SIZE):
        locked = Member.objects.held_by(acting_user).filter(pk__in=pks[start:start + IMPORT_BATCH_SIZE])
        current.update(locked.select_for_update().values_list("pk", "version"))
    if len(current) != len(pks):
        raise PermissionDenied(_("只能修改本组织及下级组织的党员。"))
    if any(current[change.member.pk] != change.expected_version for change in updates):
        raise StaleEditError(_("名册中的部分党员在预演之后已被他人修改。为避免覆盖对方的修改，本次导入未写入任何数据，请重新上传预演。"),
                             code="stale")
    now = timezone.now()
    by_fields: dict[tuple[str, ...], list[Member]] = defaultdict(list)
    for change in updates:
        change.member.version = change.expected_version + 1
        change.member.updated_at = now
        by_fields[tuple(change.fields)].append(change.member)
    reason = _("导入名册")
    bulk_insert(Member, creates, batch_size=IMPORT_BATCH_SIZE)
    bulk_history(Member, creates, created=True, user=acting_user, reason=reason, batch_size=IMPORT_BATCH_SIZE)
    for fields, members in by_fields.items():  # usually one group: the same columns edited on every row
        bulk_update_rows(Member, members, [*fields, "version", "updated_at"], batch_size=IMPORT_BATCH_SIZE)
    updated = [change.member for change in updates]
    bulk_history(Member, updated, created=False, user=acting_user, reason=reason, batch_size=IMPORT_BATCH_SIZE)
    roster_rows_imported.send(sender=Member, member_ids=[member.pk for member in creates + updated],
                              acting_user=acting_user)
    return {"created": len(creates), "updated": len(updates)}


def roster_export_build(*, job_id: int) -> RosterExport:
    """Write the file of a queued export, reporting progress as it goes, and log the export.

    Idempotent: a finished job is left as it is.
    """
    from members.roster_export import export_for_user, roster_filename

    job = RosterExport.objects.select_related("user").get(pk=job_id)
    if job.status == RosterExport.Status.DONE:
        return job
    RosterExport.objects.filter(pk=job.pk).update(status=RosterExport.Status.RUNNING, done_rows=0)

    def progress(done: int) -> None:
        RosterExport.objects.filter(pk=job.pk).update(done_rows=done)

    try:
        with tempfile.TemporaryFile() as output:
            with using_replica():  # the members' rows; the job's own row is read and written on the primary
                count, filters = export_for_user(output, user=job.user, query=job.query, progress=progress)
            output.seek(0)
            job.file.save(roster_filename(), File(output), save=False)
    except Exception as exc:
        RosterExport.objects.filter(pk=job.pk).update(
            status=RosterExport.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    job.status, job.done_rows, job.total_rows, job.finished_at = RosterExport.Status.DONE, count, count, timezone.now()
    job.save(update_fields=["file", "status", "done_rows", "total_rows", "finished_at"])
    roster_export_log(acting_user=job.user, filters=filters, row_count=count, job=job)
    return job


def roster_export_log(*, acting_user, filters: dict, row_count: int, job: RosterExport | None = None):
    """Record an export (who, when, which filters, how many rows) in the personal-data access log."""
    detail = {"filters": filters, "masked": not can_see_personal_data(acting_user)}
    if job is not None:
        detail["job"] = str(job.token)
    return personal_data_access_log(acting_user=acting_user, action=PersonalDataAccess.Action.EXPORT,
                                    page="members:export", detail=detail, row_count=row_count)


@transaction.atomic
def roster_import_stash(*, acting_user, upload, plan=None) -> RosterImport:
    """Keep an uploaded roster between its dry run (or its mapping step, ``plan=None``) and the confirmation.

    The file goes under MEDIA_ROOT with a random name and is reachable only
    through its owner; the user's older unconfirmed uploads are dropped.
    """
    for old in RosterImport.objects.filter(user=acting_user, status=RosterImport.Status.PREVIEWED):
        roster_import_close(stash=old, status=RosterImport.Status.DISCARDED)
    stash = RosterImport(user=acting_user, original_name=upload.name[:255], preview=_preview(plan))
    upload.seek(0)
    stash.file.save("roster.xlsx", File(upload), save=False)
    stash.save()
    return stash


def _preview(plan) -> dict:
    return {"counts": plan.counts(), "fingerprint": plan.fingerprint()} if plan is not None else {}


def roster_import_previewed(*, stash: RosterImport, plan) -> RosterImport | None:
    """The dry run of a stashed upload after its mapping step: kept for the confirmation, or dropped.

    Dropped (``None``) when the plan has errors or nothing to write: the user uploads again after fixing it.
    """
    if plan.has_errors or not (plan.creates or plan.updates):
        roster_import_close(stash=stash, status=RosterImport.Status.DISCARDED)
        return None
    stash.preview = _preview(plan)
    stash.save(update_fields=["preview"])
    return stash


@transaction.atomic
def roster_columns_choose(*, acting_user, choices: dict[str, str]) -> None:
    """Remember what the user said each roster column means, for the user's organization.

    ``choices`` maps a normalized header to a target (or ``ignore``); only
    answers that differ from the alias table are kept, so the table's names
    stay the table's.
    """
    from members.roster_headers import IGNORE, TARGETS, alias_index

    aliases = alias_index()
    for header, target in choices.items():
        if target != IGNORE and target not in TARGETS:
            raise ValidationError(_("「%(target)s」不是可选的信息项。") % {"target": target})
        header = header[:100]
        if aliases.get(header) == target:
            RosterColumnChoice.objects.filter(organization=acting_user.organization, header=header).delete()
            continue
        RosterColumnChoice.objects.update_or_create(organization=acting_user.organization, header=header,
                                                    defaults={"target": target, "chosen_by": acting_user})


@transaction.atomic
def roster_import_apply(*, acting_user, token) -> dict[str, int]:
    """Write a stashed upload, once, if it still plans exactly what the user saw in the dry run.

    The stash row stays locked until the import commits, so of several
    confirmations sent at once one writes and the others, once it is done,
    find the upload applied and raise ``ImportAlreadyHandled``. A stash of
    another user raises ``RosterImport.DoesNotExist``; a damaged file
    ``RosterFileError``; a plan that changed since the dry run ``StaleEditError``.
    """
    from members.roster_import import build_plan

    stash = RosterImport.objects.select_for_update().get(token=token, user=acting_user)
    if stash.status != RosterImport.Status.PREVIEWED:
        raise ImportAlreadyHandled
    with stash.file.open("rb") as upload:
        plan = build_plan(upload, user=acting_user)
    if plan.has_errors or plan.fingerprint() != stash.preview.get("fingerprint"):
        raise StaleEditError(_("预演之后名册涉及的数据已有变化，本次未写入任何数据。请重新上传文件预演后再确认。"),
                             code="stale")
    result = member_import(acting_user=acting_user, creates=plan.creates, updates=plan.updates)
    roster_import_close(stash=stash, status=RosterImport.Status.APPLIED)
    return result


def roster_import_close(*, stash: RosterImport, status: str) -> None:
    """Mark an upload applied or discarded and delete its file."""
    if stash.file:
        stash.file.delete(save=False)
    stash.status = status
    stash.applied_at = timezone.now() if status == RosterImport.Status.APPLIED else None
    stash.save(update_fields=["file", "status", "applied_at"])
