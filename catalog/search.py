"""Chinese full-text search without a Chinese parser: CJK text is indexed as overlapping bigrams
(as Lucene's CJKAnalyzer does) in a PostgreSQL tsvector with the 'simple' configuration, so a
search for 营业执照 matches 企业营业执照信息 through the GIN index.

Titles are indexed with their pinyin too (issue 18 part 8): for each character of a CJK run, the
full syllables and the initials from there on (养老机构 → yanglaojigou, laojigou, …, yljg, ljg, …),
so a prefix query `yanglao:*` or `ylj:*` matches through the same GIN index as the bigrams.

A query is built from words (runs of CJK characters, or of letters and digits): every word must
match (AND), and a word matches when any of its alternatives does (the word itself, or the word
with a synonym of the bureau's table in place of its term: 养老院 → 养老机构). any_term=True gives
the fallback: any single term of any alternative (OR), ranked by ts_rank by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pypinyin import Style, lazy_pinyin

_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_TERMS = 32
PINYIN_SPAN = 6  # syllables per pinyin token: enough for a prefix query, short enough to stay small


def tokens(text: str) -> list[str]:
    """Index terms: CJK runs as bigrams (single characters kept as they are), other words lowercased."""
    out = []
    for run in _RUN_RE.findall(text or ""):
        out.extend(_run_terms(run, prefix=False))
    return out


def _run_terms(run: str, *, prefix: bool) -> list[str]:
    if _CJK_RE.match(run):
        if len(run) == 1:
            return [f"{run}:*" if prefix else run]
        return [run[i : i + 2] for i in range(len(run) - 1)]
    return [f"{run.lower()}:*" if prefix else run.lower()]


def index_text(text: str) -> str:
    return " ".join(tokens(text))


def pinyin_tokens(text: str) -> list[str]:
    """Pinyin of the CJK runs of a title: from each character on, the full syllables and the initials."""
    out: list[str] = []
    for run in _RUN_RE.findall(text or ""):
        if not _CJK_RE.match(run):
            continue
        syllables = [s for s in lazy_pinyin(run, errors="ignore") if s.isascii() and s.isalpha()]
        initials = [s[:1] for s in lazy_pinyin(run, style=Style.FIRST_LETTER, errors="ignore") if s.isalpha()]
        out.extend("".join(syllables[i : i + PINYIN_SPAN]).lower() for i in range(len(syllables)))
        # from the second-to-last on only: a lone initial would match half the catalog
        out.extend("".join(initials[i : i + PINYIN_SPAN]).lower() for i in range(len(initials) - 1))
    return list(dict.fromkeys(out))


def title_index_text(title: str) -> str:
    """A title's bigrams and words, then its pinyin (issue 18 part 8: yanglao, ylj find 养老机构)."""
    return " ".join([*tokens(title), *pinyin_tokens(title)])


def words(query: str) -> list[str]:
    return list(dict.fromkeys(_RUN_RE.findall(query or "")))[:MAX_TERMS]


def alternatives(word: str, synonyms: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """The word and the word with each synonym in place of a term it contains (养老院 → 养老机构)."""
    out = [word]
    for term, replacements in (synonyms or {}).items():
        if term and (term in word if _CJK_RE.match(term) else term.lower() == word.lower()):
            cjk = bool(_CJK_RE.match(term))
            out.extend(word.replace(term, r) if cjk else r for r in replacements)
    return list(dict.fromkeys(a for a in out if _RUN_RE.search(a)))


def _alternative_terms(text: str) -> list[str]:
    terms: list[str] = []
    for run in _RUN_RE.findall(text):
        terms.extend(_run_terms(run, prefix=True))
    return list(dict.fromkeys(terms))


def tsquery(query: str, *, synonyms: Mapping[str, Sequence[str]] | None = None, any_term: bool = False) -> str | None:
    """A to_tsquery('simple', ...) expression for a user's query; None when it has no term.

    Every word must match (AND) through one of its alternatives; any_term: any term matches (OR).
    A single CJK character or a word matches as a prefix. Terms contain only CJK characters,
    letters and digits, so the expression is safe.
    """
    groups: list[list[list[str]]] = []
    budget = MAX_TERMS
    for word in words(query):
        group = []
        for alternative in alternatives(word, synonyms):
            terms = _alternative_terms(alternative)[:budget]
            if terms:
                group.append(terms)
                budget -= len(terms)
        if group:
            groups.append(group)
        if budget <= 0:
            break
    if not groups:
        return None
    if any_term:
        flat = dict.fromkeys(t for group in groups for terms in group for t in terms)
        return " | ".join(flat)
    return " & ".join("(" + " | ".join("(" + " & ".join(terms) + ")" for terms in group) + ")" for group in groups)


def highlight_terms(query: str, synonyms: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """What to mark in a result: each alternative of each word, and its bigrams (the parts that matched)."""
    out: list[str] = []
    for word in words(query):
        for alternative in alternatives(word, synonyms):
            for run in _RUN_RE.findall(alternative):
                out.append(run)
                out.extend(t for t in _run_terms(run, prefix=False))
    return sorted(dict.fromkeys(t for t in out if t), key=len, reverse=True)
