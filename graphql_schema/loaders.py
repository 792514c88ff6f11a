"""DataLoaders, fresh for every operation.

They cannot live on the context: Strawberry shares one context across all operations of
a WebSocket connection, and a loader's cache would then serve stale rows. A schema
extension installs a new set per operation in a ContextVar (each operation runs in its
own task, so each sees its own).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from strawberry.dataloader import DataLoader
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.db.models import (
    ApplicationEvent,
    Artifact,
    EmailSend,
    Export,
    JobDescription,
    Resume,
    TailoringJob,
    Version,
)
from app.db.models.enums import ArtifactKind
from app.db.unit_of_work import reading
from app.runtime import Runtime
from app.services import applications, apply_email, stored_documents
from app.services.exports import exports_for_versions
from app.services.jobs import artifacts_for_jobs
from app.services.lookups import jobs_by_ids, resumes_by_ids


@dataclass
class Loaders:
    jobs: DataLoader[uuid.UUID, TailoringJob | None]
    resumes: DataLoader[uuid.UUID, Resume | None]
    exports: DataLoader[uuid.UUID, list[Export]]
    artifacts: DataLoader[uuid.UUID, dict[ArtifactKind, Artifact]]
    # Stored documents as JSON text, for rows a listing loaded without them.
    resume_json: DataLoader[uuid.UUID, str | None]
    posting_json: DataLoader[uuid.UUID, str | None]
    # An application's attached version (None if deleted), its history and its e-mails.
    application_versions: DataLoader[uuid.UUID, Version | None]
    application_history: DataLoader[uuid.UUID, list[ApplicationEvent]]
    application_emails: DataLoader[uuid.UUID, list[EmailSend]]


def make_loaders(runtime: Runtime, *, cache: bool = True) -> Loaders:
    async def load_exports(ids: list[uuid.UUID]) -> list[list[Export]]:
        async with reading(runtime.db) as session:
            grouped = await exports_for_versions(session, ids)
        return [grouped[i] for i in ids]

    async def load_jobs(ids: list[uuid.UUID]) -> list[TailoringJob | None]:
        async with reading(runtime.db) as session:
            return await jobs_by_ids(session, ids)

    async def load_resumes(ids: list[uuid.UUID]) -> list[Resume | None]:
        async with reading(runtime.db) as session:
            return await resumes_by_ids(session, ids)

    async def load_texts(
        model: type[Resume | JobDescription], ids: list[uuid.UUID]
    ) -> list[str | None]:
        async with reading(runtime.db) as session:
            return await stored_documents.parsed_texts(session, model, ids)

    async def load_artifacts(ids: list[uuid.UUID]) -> list[dict[ArtifactKind, Artifact]]:
        async with reading(runtime.db) as session:
            grouped = await artifacts_for_jobs(session, ids)
        return [grouped[i] for i in ids]

    async def load_application_versions(ids: list[uuid.UUID]) -> list[Version | None]:
        async with reading(runtime.db) as session:
            found = await applications.attached_versions(session, ids)
        return [found.get(i) for i in ids]

    async def load_application_history(ids: list[uuid.UUID]) -> list[list[ApplicationEvent]]:
        async with reading(runtime.db) as session:
            grouped = await applications.histories(session, ids)
        return [grouped[i] for i in ids]

    async def load_application_emails(ids: list[uuid.UUID]) -> list[list[EmailSend]]:
        async with reading(runtime.db) as session:
            grouped = await apply_email.sends_for(session, ids)
        return [grouped[i] for i in ids]

    return Loaders(
        jobs=DataLoader(load_fn=load_jobs, cache=cache),
        resumes=DataLoader(load_fn=load_resumes, cache=cache),
        exports=DataLoader(load_fn=load_exports, cache=cache),
        artifacts=DataLoader(load_fn=load_artifacts, cache=cache),
        resume_json=DataLoader(load_fn=partial(load_texts, Resume), cache=cache),
        posting_json=DataLoader(load_fn=partial(load_texts, JobDescription), cache=cache),
        application_versions=DataLoader(load_fn=load_application_versions, cache=cache),
        application_history=DataLoader(load_fn=load_application_history, cache=cache),
        application_emails=DataLoader(load_fn=load_application_emails, cache=cache),
    )


class _PerOperation:
    """An operation's loaders, made on its first use: most operations (a mutation, a
    subscription's live events) use none, and making all of them for each was a few
    percent of the API's CPU per job. A holder, not the loaders in the ContextVar: the
    resolvers of one operation run in tasks of their own, which would each see (and
    make) their own set otherwise."""

    __slots__ = ("_cache", "_loaders", "_runtime")

    def __init__(self, runtime: Runtime, *, cache: bool) -> None:
        self._runtime, self._cache = runtime, cache
        self._loaders: Loaders | None = None

    def get(self) -> Loaders:
        if self._loaders is None:
            self._loaders = make_loaders(self._runtime, cache=self._cache)
        return self._loaders


_current: ContextVar[_PerOperation | None] = ContextVar("tailor_loaders", default=None)


def loaders(runtime: Runtime) -> Loaders:
    current = _current.get()
    if current is None:  # outside an operation (should not happen): do not cache
        return make_loaders(runtime)
    return current.get()


class LoadersPerOperation(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        runtime: Runtime = self.execution_context.context.runtime
        _current.set(_PerOperation(runtime, cache=True))
        yield

    def on_execute(self) -> Iterator[None]:
        # A subscription is one long operation: a cache would serve every event the rows
        # as they were at the first one. Batching still applies. (The operation type is
        # known only once the document is parsed, hence here.)
        if self.execution_context.operation_type is OperationType.SUBSCRIPTION:
            runtime: Runtime = self.execution_context.context.runtime
            _current.set(_PerOperation(runtime, cache=False))
        yield
