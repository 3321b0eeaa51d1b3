"""One input policy for every JSON body and every query string, applied before any view runs.

Text that PostgreSQL, the logs or a JSON encoder cannot hold is refused where it enters: a NUL
character or a lone UTF-16 surrogate in any string (keys too), JSON nested deeper than
``MAX_DEPTH``, a number literal longer than ``MAX_NUMBER_CHARS`` (or ``NaN``/``Infinity``, which
JSON does not have), and an object naming one key twice (which value would win is a parser's
whim). A refusal is a 400 problem naming the field.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

from kernel.web import problems

MAX_DEPTH = 32  # the deepest body we take (a provider's webhook event) is about 8
MAX_NUMBER_CHARS = 40  # money is at most 13 digits; a 5,000-digit integer is an attack
_UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")


class InputRefused(ValueError):
    """Input the policy refuses; ``field`` names where (``items.0.quantity``, ``q``, ``path``)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class _RefusedLiteral:
    """What the decoder leaves in place of a number it refuses, so the walk can name its field."""

    def __init__(self, message: str):
        self.message = message


def _number(kind):
    def parse(literal: str):
        if len(literal) > MAX_NUMBER_CHARS:
            return _RefusedLiteral(f"A number of at most {MAX_NUMBER_CHARS} characters is accepted.")
        return kind(literal)

    return parse


class _DuplicateKey:
    def __init__(self, key: str):
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) < len(pairs):
        seen = set()
        duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))
        result[_DuplicateKey(duplicate)] = None
    return result


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_number(int), parse_float=_number(float),
                            parse_constant=lambda name: _RefusedLiteral(f"{name} is not a JSON number."))


def loads(text: str | bytes) -> Any:
    """Decode JSON under the policy; raises :class:`InputRefused` (or ``ValueError`` for what is
    not JSON at all)."""
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8")
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise InputRefused("json", f"Nested deeper than {MAX_DEPTH} levels.") from None
    check(value)
    return value


def check(value: Any) -> None:
    """Walk a decoded document (without recursion: depth is what is being checked)."""
    pending: list[tuple[Any, str, int]] = [(value, "", 0)]
    while pending:
        item, where, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise InputRefused(where or "json", f"Nested deeper than {MAX_DEPTH} levels.")
        if isinstance(item, str):
            check_text(where or "json", item)
        elif isinstance(item, _RefusedLiteral):
            raise InputRefused(where or "json", item.message)
        elif isinstance(item, dict):
            for key, member in item.items():
                if isinstance(key, _DuplicateKey):
                    raise InputRefused(_join(where, key.key), "This key appears more than once.")
                check_text(where or "json", key)
                pending.append((member, _join(where, key), depth + 1))
        elif isinstance(item, list):
            pending.extend((member, _join(where, str(index)), depth + 1) for index, member in enumerate(item))


def check_text(field: str, text: str) -> None:
    if _UNSAFE_TEXT.search(text):
        raise InputRefused(field, "Text must not contain NUL characters or lone surrogates.")


def check_query(query_string: bytes) -> None:
    """Every name and value of a query string: valid UTF-8 once percent-decoded, safe text."""
    try:
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise InputRefused("query", "The query string is not valid UTF-8.") from None
    for name, value in pairs:
        check_text(name, name)
        check_text(name, value)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


class PolicyJSONProvider(DefaultJSONProvider):
    """``request.get_json()`` everywhere decodes under the policy."""

    def loads(self, s, **kwargs):
        return loads(s)


def refuse_hostile_input():
    """A ``before_request`` check of the path, the query string and a JSON body."""
    try:
        check_text("path", request.path)
        check_query(request.query_string)
        if request.is_json and request.content_length != 0:
            loads(request.get_data(cache=True))
    except InputRefused as refused:
        return problems.problem(400, "Bad Request", f"Refused input: {refused.message}",
                                errors={refused.field: [refused.message]})
    except ValueError:
        return None  # not JSON at all: the view's parser answers its own 400
    return None


def install_input_policy(app: Flask) -> None:
    app.json = PolicyJSONProvider(app)
    app.before_request(refuse_hostile_input)
