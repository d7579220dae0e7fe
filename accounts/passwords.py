"""Password rules beyond Django's (length, common, numeric), and the initial passwords handed out on slips."""
import secrets
import string

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Letters and digits that cannot be mistaken for each other when read off paper (no 0/O, 1/l/I).
SLIP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SLIP_PASSWORD_LENGTH = 10


class CharacterClassValidator:
    """A password needs letters and digits: a word alone or a date alone is guessed first."""

    def validate(self, password, user=None):
        has_letter = any(ch in string.ascii_letters for ch in password)
        has_digit = any(ch.isdigit() for ch in password)
        if not (has_letter and has_digit):
            raise ValidationError(_("密码必须同时包含英文字母和数字，例如 Lhdy2026mima。"), code="password_classes")

    def get_help_text(self):
        return _("密码必须同时包含英文字母和数字。")


class InitialPasswordHasher(PBKDF2PasswordHasher):
    """The hash of a random initial password, in fewer rounds than a chosen password's.

    A chosen password is guessable, so it gets Django's million PBKDF2 rounds (about half a second each on
    a county's server). An initial password is 10 random characters from 55 (about 58 bits): guessing it
    from the hash takes some 10^12 seconds even at 20,000 rounds, and importing 300 accounts then takes
    seconds instead of minutes (beyond the web server's timeout). At the first login Django re-hashes it
    with the preferred hasher, and the user must replace it anyway.
    """

    algorithm = "pbkdf2_sha256_initial"
    iterations = 20_000


def set_initial_password(account) -> str:
    """Give ``account`` a new random initial password; return it (for the slip) — only its hash is kept."""
    password = initial_password()
    account.password = make_password(password, hasher=InitialPasswordHasher())
    return password


def initial_password() -> str:
    """A random password for a slip: easy to type, with a letter and a digit, never stored in clear."""
    while True:
        password = "".join(secrets.choice(SLIP_ALPHABET) for _i in range(SLIP_PASSWORD_LENGTH))
        if any(ch.isdigit() for ch in password) and any(ch.isalpha() for ch in password):
            return password
