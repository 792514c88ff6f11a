"""Validation results cached per (document, rules), like Strawberry's ValidationCache, except
that a refusal because the validation budget ran out is not kept: on a busy host an
ordinary document may run out of time once, and must not stay refused.

A subscription start or a query whose document was seen before then skips validation
(a few milliseconds of CPU each on this schema); ParserCache hands out the same document
object for the same text, so the key is stable.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator

from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from graphql_schema.limits import ValidationTimedOut

# id(document) -> (document, its errors): keyed by identity (hashing a document walks all
# of it), holding the document so that its id cannot be reused while the entry lives.
_cache: OrderedDict[Hashable, tuple[DocumentNode, list[GraphQLError]]] = OrderedDict()


class DocumentValidationCache(SchemaExtension):
    """Pass as a factory (partial) after ParserCache; the cache is process-wide."""

    def __init__(self, maxsize: int = 512) -> None:
        self._maxsize = maxsize

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None
        key = (id(document), context.validation_rules)
        entry = _cache.get(key)
        if entry is not None and entry[0] is document:
            _cache.move_to_end(key)
            errors = entry[1]
        else:
            errors = validate_document(context.schema._schema, document, context.validation_rules)
            if not any(isinstance(e, ValidationTimedOut) for e in errors):
                _cache[key] = (document, errors)
                while len(_cache) > self._maxsize:
                    _cache.popitem(last=False)
        context.pre_execution_errors = errors
        yield
