"""What cadres write for a code list's values (aliases), declared beside the labels in each
app's `choices.py`, and how a written value is read back to its code.

A drop-down offers the label (「就地就近就业」), but a sheet kept for years holds what people
write: 「就地就近」, 「汉」, 「维族」, 「√」. Each code list declares those forms once with
`declare_aliases`; the Excel import (and anything else that reads written values) accepts them,
and the template's notes sheet lists them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence

from resettle.cleaning import clean_text

# Aliases by the code list's codes (the tuple of its values, in order): a Column declared with
# `X.choices` (a list of pairs) finds the aliases declared for the class X.
_ALIASES: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}

# What a cell says when the fact is not known: read as a blank (not known), never as a value.
UNKNOWN_WORDS = frozenset(
    {
        "不详",
        "未知",
        "不清楚",
        "待核实",
        "待核查",
        "待定",
        "不明",
        "空",
        "无记录",
        "-",
        "--",
        "—",
        "/",
    }
)

# 是/否 columns: what people write for yes and no (ticks, crosses, ballot boxes, 对/错, Y/N).
TRUE_WORDS = frozenset({"是", "有", "对", "Y", "YES", "TRUE", "1", "√", "✓", "✔", "☑", "✅"})
FALSE_WORDS = frozenset(
    {"否", "无", "没有", "错", "N", "NO", "FALSE", "0", "×", "✗", "✘", "☐", "❌"}
)


def declare_aliases(choices_class, aliases: Mapping[str, Iterable[str]]) -> None:
    """Declare what may be written for each code of `choices_class` (a TextChoices class):
    `aliases` maps a code to the written forms that mean it. Raises ValueError for an unknown
    code, or for one written form given to two codes (it would be read as either)."""
    codes = tuple(str(v) for v in choices_class.values)
    seen: dict[str, str] = {}
    declared: dict[str, tuple[str, ...]] = {}
    for code, forms in aliases.items():
        if str(code) not in codes:
            raise ValueError(f"{choices_class.__name__} has no code {code!r}")
        cleaned = tuple(clean_text(f) for f in forms)
        for form in cleaned:
            if seen.setdefault(form, str(code)) != str(code):
                raise ValueError(f"{choices_class.__name__}: {form!r} given to two codes")
        declared[str(code)] = cleaned
    _ALIASES[codes] = declared


def aliases_of(pairs: Sequence[tuple[object, object]]) -> dict[str, tuple[str, ...]]:
    """The aliases declared for the code list whose (code, label) pairs are `pairs`: a dict of
    code → written forms; empty when none were declared."""
    return _ALIASES.get(tuple(str(code) for code, _label in pairs), {})


def nearest(text: str, candidates: Mapping[str, str]) -> str | None:
    """The label nearest to `text` among `candidates` (written form → label), for a message
    that suggests what was meant; None when nothing is close. Compares characters, so 「一般技能」
    finds 「有一般技能」."""
    if not text or not candidates:
        return None
    scored = []
    for form, label in candidates.items():
        ratio = difflib.SequenceMatcher(None, text, form).ratio()
        shared = len(set(text) & set(form))
        scored.append((ratio, shared, label))
    ratio, shared, label = max(scored, key=lambda s: (s[0], s[1]))
    return label if ratio >= 0.5 or shared >= 2 else None
