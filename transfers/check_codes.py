"""Check codes (核验码) printed on introduction letters, certificate letters and activity cards.

Document numbers are sequential and can be guessed; the check code is random,
so a host holding the paper document can prove it, and one who only guesses
numbers cannot. The alphabet leaves out characters that are easily misread
on paper (0/O, 1/I/L), and what the host types is compared in constant time.
"""
import hmac
import secrets

CHECK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECK_CODE_LENGTH = 8


def new_check_code() -> str:
    return "".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(CHECK_CODE_LENGTH))


def normalize_check_code(value: str) -> str:
    """What the host typed, without spaces or dashes, in capitals (``abcd-efgh`` → ``ABCDEFGH``)."""
    return "".join(value.split()).replace("-", "").upper()


def check_code_matches(expected: str, given: str) -> bool:
    """Constant-time comparison; an empty code never matches."""
    given = normalize_check_code(given)
    return bool(expected and given) and hmac.compare_digest(expected.encode(), given.encode())
