"""accept, versions, version, refreshDownloadLinks, retryExport."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from app.auth.api_keys import Scope
from app.db.models.enums import ExportFormat
from app.db.unit_of_work import reading, transaction
from app.services import exports as export_service
from app.services import versions as version_service
from app.services.paging import Listing
from app.services.version_events import follow_exports
from app.tailoring.acceptance import SectionChoice
from graphql_schema.context import Context
from graphql_schema.ids import parse_id
from graphql_schema.owned import Owned
from graphql_schema.pagination import Connection
from graphql_schema.permissions import acting_user, caller, scoped, user_mutation
from graphql_schema.types.value_sets import Template
from graphql_schema.types.versions import DownloadLink, Version


@strawberry.input(description="Take or leave one section of the tailored resume.")
class SectionChoiceInput:
    section: str = strawberry.field(
        description="Section key from the diff: summary, experience, skills ... "
        "(a repeated kind is numbered: other:2)."
    )
    accept: bool = strawberry.field(description="Take the tailored section (else original).")
    edited_text: str | None = strawberry.field(
        default=None, description="Your own text for the section; checked by the truth guard."
    )


@strawberry.input(description="What to accept from a completed job.")
class AcceptInput:
    apply_all: bool = strawberry.field(default=False, description="Take every section.")
    sections: list[SectionChoiceInput] | None = strawberry.field(
        default=None, description="Per-section choices (instead of applyAll)."
    )
    notes: str | None = strawberry.field(default=None, description="Notes for yourself.")
    export_formats: list[ExportFormat] = strawberry.field(
        default_factory=list, description="Files to produce: PDF, DOCX, MARKDOWN, TEXT."
    )
    template: Template = strawberry.field(
        default=Template.CLASSIC, description="Visual template of the exported files."
    )


VERSIONS = Owned(Version, Scope.VERSIONS_READ, "version")


def _versions(
    info: Info[Context, None],
    resume_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="Only versions of this resume.")
    ] = None,
) -> Listing[Any]:
    return version_service.list_versions(
        info.context.runtime,
        caller(info).user_id,
        resume_id=parse_id(resume_id, "resumeId") if resume_id else None,
    )


@strawberry.type
class VersionQueries:
    versions: Connection[Version] = VERSIONS.connection(
        _versions, "Accepted versions, newest first, optionally for one resume."
    )

    version: Version = VERSIONS.by_id(version_service.get_version, "One accepted version.")


@strawberry.type
class VersionMutations:
    @user_mutation(
        "Accept a completed job's result, in whole or per section, as a new "
        "version; queues the requested exports. The same input twice returns the same version."
    )
    async def accept(
        self,
        info: Info[Context, None],
        job_id: Annotated[strawberry.ID, strawberry.argument(description="A COMPLETED job.")],
        input: Annotated[AcceptInput, strawberry.argument(description="What to keep.")],
    ) -> Version:
        request = version_service.AcceptRequest(
            apply_all=input.apply_all,
            sections=[
                SectionChoice(c.section.strip().lower(), c.accept, c.edited_text)
                for c in input.sections or []
            ],
            notes=input.notes,
            export_formats=list(input.export_formats),
            template=input.template.value,
        )
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            row = await version_service.accept(
                session, runtime, user_id, parse_id(job_id, "jobId"), request
            )
        return Version.from_row(row)

    @user_mutation("New signed download links for a version's exports.")
    async def refresh_download_links(
        self,
        info: Info[Context, None],
        version_id: Annotated[strawberry.ID, strawberry.argument(description="The version.")],
    ) -> list[DownloadLink]:
        runtime, user_id = acting_user(info)
        async with reading(runtime.db) as session:
            row = await version_service.get_version(
                session, user_id, parse_id(version_id, "versionId")
            )
        links: list[DownloadLink] = await Version.from_row(row).download_links(info)
        return links

    @user_mutation("Queue a failed export again (the version is untouched).")
    async def retry_export(
        self,
        info: Info[Context, None],
        export_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="A FAILED export (DownloadLink.exportId)."),
        ],
    ) -> bool:
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            await export_service.retry_export(
                session, runtime, user_id, parse_id(export_id, "exportId")
            )
        return True


@strawberry.type
class VersionSubscriptions:
    @strawberry.subscription(
        extensions=scoped(Scope.VERSIONS_READ),
        description="The version now, then again each time one of its exports becomes READY "
        "or FAILED (with fresh downloadLinks); ends when no export is PENDING. Replaces "
        "polling for downloads.",
    )
    async def version_updates(
        self,
        info: Info[Context, None],
        version_id: Annotated[strawberry.ID, strawberry.argument(description="The version.")],
    ) -> AsyncGenerator[Version, None]:
        principal = caller(info)
        runtime = info.context.runtime
        async with reading(runtime.db) as session:  # not held while the subscription runs
            row = await version_service.get_version(
                session, principal.user_id, parse_id(version_id, "versionId")
            )
        async for exports in follow_exports(runtime, row.id):
            yield Version.from_row(row, exports)
