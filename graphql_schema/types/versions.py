"""GraphQL types for accepted versions, their exports and download links."""

from __future__ import annotations

import datetime as dt

import strawberry

from app.db.models import Export as ExportRow
from app.db.models import Version as VersionRow
from app.db.models.enums import ExportDocument, ExportFormat, ExportStatus
from app.services.exports import download_links
from app.services.result_views import accepted_resume
from graphql_schema.loaders import loaders
from graphql_schema.types.artifacts import SectionDiff, parse_diff
from graphql_schema.types.documents import Resume
from graphql_schema.types.enums import parse
from graphql_schema.types.jobs import Job
from graphql_schema.types.results import Notice, TailoredSection
from graphql_schema.types.value_sets import Template


@strawberry.type(description="One exported file of a version, with a short-lived link.")
class DownloadLink:
    export_id: strawberry.ID = strawberry.field(description="Export id (for retryExport).")
    document: ExportDocument = strawberry.field(description="RESUME or COVER_LETTER.")
    format: ExportFormat = strawberry.field(description="PDF, DOCX, MARKDOWN or TEXT.")
    template: Template = strawberry.field(description="Template used.")
    status: ExportStatus = strawberry.field(description="PENDING, READY or FAILED.")
    error_code: str | None = strawberry.field(description="Why it failed, if it did.")
    url: str | None = strawberry.field(description="Signed, owner-scoped URL when READY.")
    expires_at: dt.datetime | None = strawberry.field(description="When the URL stops working.")
    warnings: list[Notice] = strawberry.field(description="Round-trip check findings.")


@strawberry.type(description="An accepted version of a resume, tailored for one job.")
class Version:
    id: strawberry.ID = strawberry.field(description="Version id.")
    number: int = strawberry.field(description="1, 2, 3 ... per resume.")
    markdown: str = strawberry.field(description="The accepted resume as Markdown.")
    ats_score: int | None = strawberry.field(description="ATS score of the accepted resume.")
    notes: str | None = strawberry.field(description="The person's notes.")
    template: Template = strawberry.field(description="Export template.")
    created_at: dt.datetime = strawberry.field(description="When it was accepted.")
    row: strawberry.Private[VersionRow]
    # Set when the exports were just read (versionUpdates): the links then show exactly
    # the state that triggered the update.
    exports: strawberry.Private[list[ExportRow] | None] = None

    @strawberry.field(description="Per-section diff of original vs accepted.")
    def diff(self) -> list[SectionDiff]:
        return parse_diff(self.row.diff)

    @strawberry.field(description="Truth-guard warnings about edited text.")
    def warnings(self) -> list[Notice]:
        return Notice.many(self.row.warnings)

    @strawberry.field(description="The accepted resume, structured by section.")
    def sections(self) -> list[TailoredSection]:
        return TailoredSection.many(accepted_resume(self.row))

    @strawberry.field(description="The source tailoring job.")
    async def job(self, info: strawberry.Info) -> Job:
        row = await loaders(info.context.runtime).jobs.load(self.row.job_id)
        assert row is not None
        return Job.from_row(row)

    @strawberry.field(description="The resume this is a version of.")
    async def resume(self, info: strawberry.Info) -> Resume:
        row = await loaders(info.context.runtime).resumes.load(self.row.resume_id)
        assert row is not None
        return Resume.from_row(row)

    @strawberry.field(description="Exported files and signed download links (fresh each time).")
    async def download_links(self, info: strawberry.Info) -> list[DownloadLink]:
        runtime = info.context.runtime
        exports = self.exports
        if exports is None:
            exports = await loaders(runtime).exports.load(self.row.id)
        return [
            DownloadLink(
                export_id=strawberry.ID(str(link.export.id)),
                document=link.export.document,
                format=link.export.format,
                template=parse(Template, link.export.template, Template.CLASSIC),
                status=link.export.status,
                error_code=link.export.error_code,
                url=link.url,
                expires_at=link.expires_at,
                warnings=Notice.many(link.export.warnings),
            )
            for link in await download_links(runtime, self.row, exports)
        ]

    @classmethod
    def from_row(cls, row: VersionRow, exports: list[ExportRow] | None = None) -> Version:
        return cls(
            id=strawberry.ID(str(row.id)),
            number=row.number,
            markdown=row.markdown,
            ats_score=row.ats_score,
            notes=row.notes,
            template=parse(Template, row.template, Template.CLASSIC),
            created_at=row.created_at,
            row=row,
            exports=exports,
        )
