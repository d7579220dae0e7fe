import pytest
from django.core.exceptions import ValidationError

from organizations.validators import id_check_char, validate_id_number, validate_mainland_phone


@pytest.mark.parametrize("value", ["11010519491231002X", "110105194912310021"[:17] + id_check_char("11010519491231002"),
                                   "440524188001010014", "11010519491231002x"])
def test_valid_id_numbers(value):
    validate_id_number(value)


@pytest.mark.parametrize("value, code", [
    ("11010519491231002", "id_shape"),          # 17 characters
    ("1101051949123100211", "id_shape"),        # 19 characters
    ("11010519491231002A", "id_shape"),         # letter other than X
    ("110105194913310025", "id_birth"),         # month 13
    ("110105190002300027", "id_birth"),         # 30 February
    ("110105194912310022", "id_checksum"),      # wrong check digit
    ("", "id_shape"),
])
def test_invalid_id_numbers(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert exc.value.code == code
    assert "身份证" in exc.value.messages[0]


def test_check_char_matches_gb11643_example():
    # The standard's worked example: 11010519491231002 → X.
    assert id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize("value", ["13812345678", "19912345678", "15000000000"])
def test_valid_phones(value):
    validate_mainland_phone(value)


@pytest.mark.parametrize("value", ["1381234567", "138123456789", "12812345678", "23812345678", "1381234567a", "+8613812345678", ""])
def test_invalid_phones(value):
    with pytest.raises(ValidationError) as exc:
        validate_mainland_phone(value)
    assert "手机号码" in exc.value.messages[0]
