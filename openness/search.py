"""The open-data search (issue 18 part 8), behind openness.selectors.search_datasets().

- every word must match, through one of its alternatives (the bureau's synonyms, catalog.synonyms:
  养老院 also looks for 养老机构); titles match by pinyin and initials too (catalog.search);
- when nothing has every word, the datasets with any of the terms, ranked by ts_rank and bounded
  by FALLBACK_LIMIT, with a notice on the page (mode "any");
- when even that finds nothing, "did you mean": titles sounding like the query (its pinyin
  through the same GIN index: 杨老院 → yanglao → 养老机构信息), titles and synonyms close by trigram
  similarity (pg_trgm), and the themes to browse instead;
- matched words marked in the results (highlight(): escaped first, then wrapped in <mark>).

The AND path is one `search_vector @@ query` on the GIN index; the fallback and the suggestions
each read at most a LIMIT of rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pypinyin import lazy_pinyin

from catalog import search
from catalog.models import DataFormat
from catalog.synonyms import synonym_map

FALLBACK_LIMIT = 200
SUGGESTIONS = 3
RELATED_THEMES = 6
# The formats every dataset with rows offers (openness.services.usage.FORMATS, and the rows API)
OFFERED_FORMATS = ("CSV", "XLSX", "JSON", "API")
MODE_ALL, MODE_ANY, MODE_NONE = "all", "any", "none"


@dataclass
class SearchNotes:
    """What the page says about a search besides its results."""

    mode: str = ""  # "" without a query; all: every word matched; any: the fallback; none: nothing
    terms: list[str] = field(default_factory=list)  # to mark in the results
    suggestions: list[str] = field(default_factory=list)  # "did you mean"
    related_themes: list[tuple[str, int]] = field(default_factory=list)


def _raw(expression: str) -> SearchQuery:
    return SearchQuery(expression, search_type="raw", config="simple")


def match(qs: QuerySet, q: str) -> tuple[QuerySet, SearchNotes]:
    """qs narrowed to the query's matches and annotated with their rank, and the notes of the page."""
    synonyms = synonym_map()
    expression = search.tsquery(q, synonyms=synonyms)
    if not expression:
        return qs, SearchNotes()
    notes = SearchNotes(mode=MODE_ALL, terms=search.highlight_terms(q, synonyms))
    query = _raw(expression)
    matched = qs.filter(search_vector=query)
    if not matched.exists():
        query = _raw(search.tsquery(q, synonyms=synonyms, any_term=True) or expression)
        ids = list(
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-id")
            .values_list("id", flat=True)[:FALLBACK_LIMIT]
        )
        matched = qs.filter(id__in=ids)
        notes.mode = MODE_ANY if ids else MODE_NONE
    if notes.mode == MODE_NONE:
        notes.suggestions = suggestions(qs, q, synonyms)
        notes.related_themes = related_themes(qs, notes.suggestions)
    return matched.annotate(rank=SearchRank(F("search_vector"), query)), notes


def _pinyin_expression(q: str) -> str | None:
    """Homophones: the query's CJK bigrams as pinyin prefixes (杨老院 → yanglao:* | laoyuan:*)."""
    terms = []
    for word in search.words(q):
        if not re.match(r"[\u3400-\u9fff\uf900-\ufaff]", word):
            continue
        pieces = [word] if len(word) == 1 else [word[i : i + 2] for i in range(len(word) - 1)]
        for piece in pieces:
            syllables = "".join(s for s in lazy_pinyin(piece, errors="ignore") if s.isascii() and s.isalpha())
            if syllables:
                terms.append(f"{syllables.lower()}:*")
    terms = list(dict.fromkeys(terms))[: search.MAX_TERMS]
    return " | ".join(terms) if terms else None


def suggestions(qs: QuerySet, q: str, synonyms: dict[str, list[str]] | None = None) -> list[str]:
    """Titles and synonyms close to a query that found nothing (did you mean …?)."""
    out: list[str] = []
    expression = _pinyin_expression(q)
    if expression:
        query = _raw(expression)
        out.extend(
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-id")
            .values_list("published_version__title", flat=True)[:SUGGESTIONS]
        )
    text = " ".join(search.words(q))[:100]
    if text and len(out) < SUGGESTIONS:
        if has_trigram_extension():
            out.extend(_similar_in_sql(text))
        else:
            out.extend(_similar_in_python(text))
    return [s for s in dict.fromkeys(out) if s and s != q][:SUGGESTIONS]


def has_trigram_extension() -> bool:
    """pg_trgm is installed where the server ships it (catalog migration 0006); the embedded pgserver
    build has no contrib extensions. Asked once per database."""
    name = connection.settings_dict["NAME"]
    if name not in _TRIGRAM:
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
            _TRIGRAM[name] = bool(cursor.fetchone()[0])
    return _TRIGRAM[name]


_TRIGRAM: dict[str, bool] = {}
# pg_trgm's defaults: word_similarity_threshold (the <% operator) and similarity_threshold
WORD_SIMILARITY, SIMILARITY = 0.6, 0.3
PYTHON_CANDIDATES = 5000  # titles compared in Python when pg_trgm is missing (bounded work per search)


def _similar_in_sql(text: str) -> list[str]:
    with connection.cursor() as cursor:
        # word_similarity with the <% operator: the trigram GIN index on titles
        # (openness migration 0004); titles of public datasets only
        cursor.execute(
            "SELECT v.title FROM openness_datasetversion v JOIN openness_dataset d"
            " ON d.published_version_id = v.id"
            " WHERE d.withdrawn_at IS NULL AND %s <%% v.title"
            " ORDER BY word_similarity(%s, v.title) DESC, d.id DESC LIMIT %s",
            [text, text, SUGGESTIONS],
        )
        found = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT term FROM catalog_searchsynonym WHERE similarity(term, %s) >= 0.3"
            " ORDER BY similarity(term, %s) DESC LIMIT %s",
            [text, text, SUGGESTIONS],
        )
        return found + [row[0] for row in cursor.fetchall()]


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word lower-cased, padded with two spaces before and one after."""
    out: set[str] = set()
    for word in re.findall(r"\w+", text.lower()):
        padded = f"  {word} "
        out.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return out


def _similar_in_python(text: str) -> list[str]:
    """The same comparison as _similar_in_sql without pg_trgm: the share of the query's trigrams found
    in a title (word_similarity's meaning), and trigram similarity for synonym terms."""
    wanted = trigrams(text)
    if not wanted:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.title FROM openness_datasetversion v JOIN openness_dataset d"
            " ON d.published_version_id = v.id WHERE d.withdrawn_at IS NULL ORDER BY d.id DESC LIMIT %s",
            [PYTHON_CANDIDATES],
        )
        titles = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT term FROM catalog_searchsynonym ORDER BY term LIMIT %s", [PYTHON_CANDIDATES])
        terms = [row[0] for row in cursor.fetchall()]
    scored = sorted(
        ((len(wanted & trigrams(t)) / len(wanted), t) for t in titles),
        key=lambda pair: -pair[0],
    )
    found = [t for score, t in scored if score >= WORD_SIMILARITY][:SUGGESTIONS]
    near = []
    for term in terms:
        theirs = trigrams(term)
        union = wanted | theirs
        score = len(wanted & theirs) / len(union) if union else 0
        if score >= SIMILARITY:
            near.append((score, term))
    return found + [t for _s, t in sorted(near, key=lambda pair: -pair[0])][:SUGGESTIONS]


def related_themes(qs: QuerySet, titles: list[str]) -> list[tuple[str, int]]:
    """The themes of the suggested datasets, else the largest themes: somewhere to go next."""
    themes = qs.exclude(published_version__theme="")
    if titles:
        near = themes.filter(published_version__title__in=titles)
        if near.exists():
            themes = near
    rows = (
        themes.order_by()
        .values("published_version__theme")
        .annotate(n=Count("id"))
        .order_by("-n", "published_version__theme")[:RELATED_THEMES]
    )
    return [(row["published_version__theme"], row["n"]) for row in rows]


def filter_format(qs: QuerySet, value: str) -> QuerySet:
    """The 数据格式 facet: the formats a dataset offers (CSV / XLSX / JSON / API: those with rows).
    The catalog's kinds (数据库, 电子表格, …) are still accepted, for the API's older callers."""
    value = str(value).replace("\x00", "\ufffd")
    if value.upper() in OFFERED_FORMATS:
        return qs.exclude(published_version__table_name="")
    if value in DataFormat.values:
        return qs.filter(published_version__data_format=value)
    return qs.none()


def format_facet(qs: QuerySet) -> list[tuple[str, int]]:
    n = qs.order_by().exclude(published_version__table_name="").count()
    return [(fmt, n) for fmt in OFFERED_FORMATS] if n else []


def highlight(text: str, terms: list[str]) -> SafeString:
    """The text escaped, with every occurrence of a term wrapped in <mark> (overlaps merged)."""
    text = str(text or "")
    covered = [False] * len(text)
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters change length when lowered: match as written
        lowered = text
    for term in terms or ():
        term = term.lower()
        if not term:
            continue
        start = lowered.find(term)
        while start != -1:
            for i in range(start, start + len(term)):
                covered[i] = True
            start = lowered.find(term, start + 1)
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and covered[j] == covered[i]:
            j += 1
        piece = escape(text[i:j])  # escaped first: a title's <script> stays text
        out.append(f"<mark>{piece}</mark>" if covered[i] else piece)
        i = j
    return mark_safe("".join(out))  # every piece was escaped above
