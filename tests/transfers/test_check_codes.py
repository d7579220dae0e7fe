from transfers.check_codes import CHECK_CODE_ALPHABET, check_code_matches, new_check_code, normalize_check_code


def test_codes_are_eight_unambiguous_characters_and_differ():
    codes = {new_check_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(code) == 8 and set(code) <= set(CHECK_CODE_ALPHABET) for code in codes)
    assert not set("01OIL") & set(CHECK_CODE_ALPHABET)


def test_what_the_host_types_is_read_as_printed():
    assert normalize_check_code(" abcd-efgh ") == normalize_check_code("ABCD EFGH") == "ABCDEFGH"
    assert check_code_matches("ABCDEFGH", "abcd-efgh")
    assert not check_code_matches("ABCDEFGH", "ABCDEFGJ")
    assert not check_code_matches("ABCDEFGH", "") and not check_code_matches("", "")
