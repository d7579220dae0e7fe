"""Mask ID numbers and mobile phone numbers in free text (log lines, error reports)."""
import re

# 18-character resident ID numbers (17 digits + digit or X) and 11-digit mainland mobiles,
# not when they are part of a longer run of digits.
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
MASK_ID = "[身份证号已隐去]"
MASK_PHONE = "[手机号已隐去]"


def scrub_text(text: str) -> str:
    return PHONE.sub(MASK_PHONE, ID_NUMBER.sub(MASK_ID, text))


def scrub(value):
    """The same structure with every string scrubbed (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(item) for item in value)
    return value
