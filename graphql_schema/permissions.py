"""Who may resolve what, declared once instead of checked by hand in each resolver.

Two layers:

* Root fields declare their requirement with a permission extension: `SIGNED_IN`
  (a user or an API key), `USER_ONLY` (a signed-in user; API keys only ever read) or
  `scoped(Scope.X)` (a user, or an API key holding scope X).
* Every object type that holds a user's data belongs to one scope (`TYPE_SCOPES`).
  `ScopeGuard` checks it on every field that returns such a type, at any depth, so a
  `versions:read` key cannot walk `version { resume { parsed } }` or
  `version { job { result } }` into data its scopes do not cover. Types not listed
  (connections, edges, page info, value types such as ContactInfo) are reachable only
  through a listed parent and inherit its check.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import strawberry
from graphql import GraphQLField, GraphQLResolveInfo, get_named_type
from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from app.auth.api_keys import Scope
from app.auth.principal import Principal
from app.errors import Forbidden

if TYPE_CHECKING:
    from app.runtime import Runtime

# The scope an API key needs to see each type. New types holding a user's data belong
# here; tests/integration/test_scopes.py walks the schema and fails on any root field
# whose data is not guarded by one of these.
TYPE_SCOPES: dict[str, Scope] = {
    "User": Scope.PROFILE_READ,
    "ApiKey": Scope.PROFILE_READ,
    "Resume": Scope.RESUMES_READ,
    "ParsedResume": Scope.RESUMES_READ,
    "JobDescription": Scope.RESUMES_READ,
    "Job": Scope.JOBS_READ,
    "JobResult": Scope.JOBS_READ,
    "JobEvent": Scope.JOBS_READ,
    "Version": Scope.VERSIONS_READ,
    "DownloadLink": Scope.VERSIONS_READ,
    "ShareLink": Scope.VERSIONS_READ,
    "UsageCall": Scope.USAGE_READ,
    "UsageReport": Scope.USAGE_READ,
    "UsageTotal": Scope.USAGE_READ,
    "Credits": Scope.USAGE_READ,
    "CreditEntry": Scope.USAGE_READ,
    "Application": Scope.APPLICATIONS_READ,
    "ApplicationEvent": Scope.APPLICATIONS_READ,
    "AnalyticsCount": Scope.APPLICATIONS_READ,
    "EmailSend": Scope.APPLICATIONS_READ,
    "TrackedEvent": Scope.APPLICATIONS_READ,
}


def _principal(info: Info[Any, Any]) -> Principal:
    principal: Principal = info.context.require_principal()
    return principal


class SignedIn(BasePermission):
    """A signed-in user or an API key (scope checks come from the types it reaches)."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        _principal(info)
        return True


class UserSession(BasePermission):
    """A signed-in user, not an API key: every mutation and account management."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        _principal(info).require_user_session()
        return True


class HasScope(BasePermission):
    """A signed-in user, or an API key that holds `scope`."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        _principal(info).require_scope(self.scope)
        return True


def _extension(permission: BasePermission) -> list[FieldExtension]:
    # No schema directive: the requirement is documented in the field description.
    return [PermissionExtension(permissions=[permission], use_directives=False)]


def caller(info: Info[Any, Any]) -> Principal:
    """The caller, inside a resolver whose permission extension has already checked it."""
    return _principal(info)


def acting_user(info: Info[Any, Any]) -> tuple[Runtime, uuid.UUID]:
    """What a mutation body needs: the runtime and the (already checked) caller's user id."""
    runtime: Runtime = info.context.runtime
    return runtime, _principal(info).user_id


def signed_in() -> list[FieldExtension]:
    return _extension(SignedIn())


def user_only() -> list[FieldExtension]:
    return _extension(UserSession())


def user_mutation(description: str) -> Any:
    """`@strawberry.mutation` for a signed-in user: every mutation (API keys only ever read)."""
    return strawberry.mutation(extensions=user_only(), description=description)


def scoped(scope: Scope) -> list[FieldExtension]:
    return _extension(HasScope(scope))


def required_scope(info: GraphQLResolveInfo[Any]) -> Scope | None:
    """The scope guarding the type this field returns, if any."""
    return TYPE_SCOPES.get(get_named_type(info.return_type).name)


class ScopeGuard(SchemaExtension):
    """Check an API key's scopes on every field that returns a scoped type."""

    def passes_leaf(self, field: GraphQLField) -> bool:
        # Live events may skip this hook (graphql_schema/event_projection.py) on fields
        # it never refuses; its verdict depends only on the caller and the field.
        return TYPE_SCOPES.get(get_named_type(field.type).name) is None

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: str,
        **kwargs: Any,
    ) -> Any:
        principal = getattr(info.context, "principal", None)
        if principal is not None and principal.via_api_key:
            scope = required_scope(info)
            if scope is not None and scope.value not in principal.scopes:
                raise Forbidden(
                    f"this API key lacks the '{scope.value}' scope needed for "
                    f"{get_named_type(info.return_type).name}"
                )
        return _next(root, info, *args, **kwargs)
