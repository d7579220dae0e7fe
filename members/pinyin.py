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
  digits, spaces, the middle dot of minority names and other signs are dropped;
- only the start matches (``san`` does not find 张三): a query of letters is
  a pinyin query, so a name written in letters is found by its start too.
"""
from places.names import pinyin_words

PINYIN_MAX_LENGTH = 300  # six letters (zhuang) for each of a name's 50 characters
INITIALS_MAX_LENGTH = 50


def _letters(word: str) -> str:
    return "".join(char for char in word.lower() if "a" <= char <= "z")


def name_search_keys(name: str) -> tuple[str, str]:
    """``(full pinyin without tones, initials)`` of ``name``, lowercase ASCII: ``张三`` → ``("zhangsan", "zs")``."""
    words = [word for word in map(_letters, pinyin_words(name or "")) if word]
    return "".join(words)[:PINYIN_MAX_LENGTH], "".join(word[0] for word in words)[:INITIALS_MAX_LENGTH]


def is_pinyin_query(value: str) -> bool:
    """Whether a search is typed in pinyin: ASCII letters only (``zhangs``, ``ZS``)."""
    return value.isascii() and value.isalpha()


def fill_name_search_keys(cursor, *, names_per_batch: int = 10_000, rows_per_batch: int = 100_000) -> None:
    """Fill both columns of every member, set-based: the migration of existing rows, and generated data.

    Python converts each distinct name once, into a temporary table, which then updates the members in id
    ranges of ``rows_per_batch`` with one joined ``UPDATE`` each; ``ANALYZE`` gives the planner the new
    columns' statistics.
    """
    cursor.execute("CREATE TEMPORARY TABLE member_name_keys (name varchar(50) PRIMARY KEY, pinyin varchar(300),"
                   " initials varchar(50))")
    cursor.execute("SELECT DISTINCT name FROM members_member")
    names = [name for (name,) in cursor.fetchall()]
    for start in range(0, len(names), names_per_batch):
        chunk = names[start:start + names_per_batch]
        keys = [name_search_keys(name) for name in chunk]
        cursor.execute("INSERT INTO member_name_keys SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[])",
                       [chunk, [pinyin for pinyin, _initials in keys], [initials for _pinyin, initials in keys]])
    cursor.execute("ANALYZE member_name_keys")
    cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM members_member")
    low, high = cursor.fetchone()
    for start in range(low, high + 1, rows_per_batch):
        cursor.execute("UPDATE members_member m SET name_pinyin = k.pinyin, name_initials = k.initials "
                       "FROM member_name_keys k WHERE k.name = m.name AND m.id >= %s AND m.id < %s",
                       [start, start + rows_per_batch])
    cursor.execute("DROP TABLE member_name_keys")
    cursor.execute("ANALYZE members_member")
