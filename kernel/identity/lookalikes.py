"""Lookalike email addresses: a part that mixes scripts (``pаypal`` with a Cyrillic ``а``) reads
as another address. The rule is Unicode's "highly restrictive" level (UTS #39, section 5.2),
applied to the local part and to each domain label: one script, or Latin with Han and
Japanese kana, Han with Bopomofo, or Han with Hangul. Digits and punctuation belong to every
script. Scripts come from the ``confusable-homoglyphs`` package's copy of Unicode's data."""

from __future__ import annotations

from confusable_homoglyphs.categories import unique_aliases

NEUTRAL = frozenset({"COMMON", "INHERITED"})
ALLOWED_MIXES = (frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}), frozenset({"LATIN", "HAN", "BOPOMOFO"}),
                 frozenset({"LATIN", "HAN", "HANGUL"}))


def mixes_scripts(text: str) -> bool:
    scripts = unique_aliases(text) - NEUTRAL
    return len(scripts) > 1 and not any(scripts <= allowed for allowed in ALLOWED_MIXES)


def lookalike_parts(local_part: str, domain: str) -> list[str]:
    """The parts of an address that mix scripts (empty when it is acceptable)."""
    return [part for part in (local_part, *domain.split(".")) if mixes_scripts(part)]
