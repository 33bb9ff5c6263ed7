"""Chinese full-text search without a Chinese parser: CJK text is indexed as overlapping bigrams
(as Lucene's CJKAnalyzer does) in a PostgreSQL tsvector with the 'simple' configuration, so a
search for 营业执照 matches 企业营业执照信息 through the GIN index."""

import re

_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def tokens(text: str) -> list[str]:
    """Index terms: CJK runs as bigrams (single characters kept as they are), other words lowercased."""
    out = []
    for run in _RUN_RE.findall(text or ""):
        if _CJK_RE.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run.lower())
    return out


def index_text(text: str) -> str:
    return " ".join(tokens(text))


def tsquery(query: str) -> str | None:
    """A to_tsquery('simple', ...) expression for a user's query; None when it has no term.

    Every term must match (AND). A single CJK character or a word matches as a prefix.
    Terms contain only CJK characters, letters and digits, so the expression is safe.
    """
    terms = []
    for run in _RUN_RE.findall(query or ""):
        if _CJK_RE.match(run):
            if len(run) == 1:
                terms.append(f"{run}:*")
            else:
                terms.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            terms.append(f"{run.lower()}:*")
    terms = list(dict.fromkeys(terms))[:32]
    return " & ".join(terms) if terms else None
