"""A member's name as secretaries type it on a phone: its pinyin and its initials.

``张三`` is stored as ``zhangsan`` and ``zs``; the member list matches a query
of ASCII letters against the start of either. Stored on the row (and indexed)
rather than computed per query, because the conversion needs Python.

Limits:
- a character with several readings (heteronyms) is stored with the common
  reading pypinyin chooses (``单`` → ``dan``, not the surname reading
  ``shan``; ``曾`` → ``ceng``, not ``zeng``), so a search by the other reading
  does not find the member;
- ``ü`` is written ``v`` (``吕`` → ``lv``), as on phone keyboards;
- letters in a name (``Tom张``) are kept, lowercased, as a word of their own;
  digits, spaces, the middle dot of minority names and other signs are dropped.
"""
from pypinyin import Style, lazy_pinyin

PINYIN_MAX_LENGTH = 300  # six letters (zhuang) for each of a name's 50 characters
INITIALS_MAX_LENGTH = 50


def _letters(word: str) -> str:
    return "".join(char for char in word.lower() if "a" <= char <= "z")


def name_search_keys(name: str) -> tuple[str, str]:
    """``(full pinyin without tones, initials)`` of ``name``, lowercase ASCII: ``张三`` → ``("zhangsan", "zs")``."""
    words = [word for word in map(_letters, lazy_pinyin(name or "", style=Style.NORMAL)) if word]
    return "".join(words)[:PINYIN_MAX_LENGTH], "".join(word[0] for word in words)[:INITIALS_MAX_LENGTH]


def is_pinyin_query(value: str) -> bool:
    """Whether a search is typed in pinyin: ASCII letters only (``zhangs``, ``ZS``)."""
    return value.isascii() and value.isalpha()
