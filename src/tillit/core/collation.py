"""Swedish alphabetical order, independent of the database's collation: …, x, y, z, å, ä, ö."""

_SWEDISH = str.maketrans(
    {"å": "z\x01", "ä": "z\x02", "ö": "z\x03", "æ": "z\x02", "ø": "z\x03", "é": "e", "è": "e", "ü": "y"}
)


def swedish_sort_key(text: str) -> str:
    return text.casefold().translate(_SWEDISH)
