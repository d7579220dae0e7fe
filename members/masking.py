"""Masking of personal data for users who may not see it in full."""

PERSONAL_DATA_PERMISSION = "members.view_personal_data"


def mask_id_number(value: str) -> str:
    """``110105199001011234`` → ``110105********1234``."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def can_see_personal_data(user) -> bool:
    return user.has_perm(PERSONAL_DATA_PERMISSION)
