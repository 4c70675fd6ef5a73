"""Chinese word segmentation for the library's search: jieba with our domain dictionary.

Both search backends index and query the same segmented text (words separated by spaces), so
that 权利要求 or 信息网络传播权 is one term on SQLite FTS5 and on PostgreSQL's 'simple' config.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)  # it announces every dictionary load on stderr

DICTIONARY = Path(__file__).with_name("dictionary.txt")
# Particles and function words that carry no meaning for search.
_STOP = (
    "的 了 和 与 及 或 在 是 为 对 由 将 把 被 从 向 于 以 其 该 此 等 并 也 就 都 而 之 "
    "一个 一种 我们 他们 如何 怎么 什么 哪些 有关 关于 进行 案件 案例 纠纷"
)
STOP_WORDS = frozenset(_STOP.split())
_WORD = re.compile(r"\w", re.UNICODE)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DICTIONARY))  # also initialises the main dictionary
    return tokenizer


def words(text: str) -> list[str]:
    """The search terms of `text`: jieba's search-mode cut (a long word and its parts),
    lower-cased, without punctuation and stop words; repeated terms stay (they weigh)."""
    out = []
    for token in _tokenizer().cut_for_search(text or ""):
        token = token.strip().lower()
        if token and _WORD.search(token) and token not in STOP_WORDS:
            out.append(token)
    return out


def index_text(*parts: str) -> str:
    """What a backend stores for a document: its words separated by spaces."""
    return " ".join(w for part in parts for w in words(part))


def query_terms(query: str, limit: int = 12) -> list[str]:
    """The distinct terms of a query, in order, at most `limit` (a pasted page is cut)."""
    seen: list[str] = []
    for w in words(query):
        if w not in seen:
            seen.append(w)
    return seen[:limit]
