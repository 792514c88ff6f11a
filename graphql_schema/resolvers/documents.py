"""Resume upload and job description resolvers."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from app.auth.api_keys import Scope
from app.db.unit_of_work import transaction
from app.errors import InvalidInput
from app.services import job_descriptions as jd_service
from app.services import resumes as resume_service
from app.services.paging import Listing
from graphql_schema.context import Context
from graphql_schema.owned import Owned, change_by_id
from graphql_schema.pagination import Connection
from graphql_schema.permissions import acting_user, caller, user_mutation
from graphql_schema.rate_headers import set_rate_headers
from graphql_schema.resolvers.usage import rate_limit_status
from graphql_schema.types.documents import JobDescription, Resume
from graphql_schema.types.value_sets import RateLimitedAction


@strawberry.input(description="A resume: a multipart file upload, base64 content, or text.")
class UploadResumeInput:
    file: Upload | None = strawberry.field(default=None, description="Multipart upload.")
    content_base64: str | None = strawberry.field(default=None, description="File as base64.")
    text: str | None = strawberry.field(default=None, description="Pasted resume text.")
    filename: str | None = strawberry.field(default=None, description="Original file name.")
    title: str | None = strawberry.field(default=None, description="Title for lists.")


@strawberry.input(description="A job description: pasted text or an uploaded file.")
class CreateJobDescriptionInput:
    text: str | None = strawberry.field(default=None, description="Pasted text (or HTML).")
    file: Upload | None = strawberry.field(default=None, description="PDF/DOCX/TXT upload.")
    content_base64: str | None = strawberry.field(default=None, description="File as base64.")
    filename: str | None = strawberry.field(default=None, description="Original file name.")
    title: str | None = strawberry.field(default=None, description="Job title (else detected).")
    company: str | None = strawberry.field(default=None, description="Company (else detected).")


async def _file_bytes(
    file: Upload | None, content_base64: str | None, text: str | None, limit: int
) -> tuple[bytes | None, str | None]:
    """(bytes, filename) from whichever of the three the client sent; exactly one allowed."""
    given = [x for x in (file, content_base64, text) if x is not None]
    if len(given) != 1:
        raise InvalidInput("send exactly one of file, contentBase64 or text", field="file")
    if file is not None:
        data = await file.read(limit + 1)  # type: ignore[attr-defined]
        return bytes(data), getattr(file, "filename", None)
    if content_base64 is not None:
        if len(content_base64) > (limit + 2) * 4 // 3 + 4:
            return b"\0" * (limit + 1), None  # too large: let the size check say so
        try:
            return base64.b64decode(content_base64, validate=True), None
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput("contentBase64 is not valid base64", field="contentBase64") from exc
    return None, None


async def _upload_headers(info: Info[Context, None]) -> None:
    """RateLimit-* headers of the shared upload budget on a successful upload."""
    subject = str(info.context.require_user().user_id)
    status = await rate_limit_status(info.context.runtime, RateLimitedAction.UPLOAD, subject)
    set_rate_headers(info.context, status)


RESUMES = Owned(Resume, Scope.RESUMES_READ, "resume")
JOB_DESCRIPTIONS = Owned(JobDescription, Scope.RESUMES_READ, "job description")


def _resumes(info: Info[Context, None]) -> Listing[Any]:
    return resume_service.list_resumes(info.context.runtime, caller(info).user_id)


def _job_descriptions(info: Info[Context, None]) -> Listing[Any]:
    return jd_service.list_job_descriptions(info.context.runtime, caller(info).user_id)


@strawberry.type
class DocumentQueries:
    resumes: Connection[Resume] = RESUMES.connection(
        _resumes, "The caller's resumes, newest first."
    )

    resume: Resume = RESUMES.by_id(resume_service.get_resume, "One of the caller's resumes.")

    job_descriptions: Connection[JobDescription] = JOB_DESCRIPTIONS.connection(
        _job_descriptions, "The caller's job descriptions, newest first."
    )

    job_description: JobDescription = JOB_DESCRIPTIONS.by_id(
        jd_service.get_job_description, "One of the caller's job descriptions."
    )


@strawberry.type
class DocumentMutations:
    @user_mutation(
        "Upload a resume (PDF, DOCX, Markdown or text). Parsing happens now; a "
        "file that cannot be parsed is kept with parseStatus FAILED and the reason."
    )
    async def upload_resume(
        self,
        info: Info[Context, None],
        input: Annotated[UploadResumeInput, strawberry.argument(description="The resume.")],
    ) -> Resume:
        runtime, user_id = acting_user(info)
        data, upload_name = await _file_bytes(
            input.file, input.content_base64, input.text, runtime.settings.max_resume_bytes
        )
        if data is None:
            data = (input.text or "").encode()
        upload = resume_service.ResumeUpload(
            data=data, filename=input.filename or upload_name, title=input.title
        )
        async with transaction(runtime.db) as session:
            row = await resume_service.upload_resume(session, runtime, user_id, upload)
        await _upload_headers(info)
        return Resume.from_row(row)

    delete_resume: Resume = change_by_id(
        resume_service.delete_resume,
        Resume,
        "Soft-delete one of the caller's resumes.",
        "The resume to delete.",
    )

    @user_mutation("Add a job description from pasted text or a file.")
    async def create_job_description(
        self,
        info: Info[Context, None],
        input: Annotated[
            CreateJobDescriptionInput, strawberry.argument(description="The job description.")
        ],
    ) -> JobDescription:
        runtime, user_id = acting_user(info)
        data, upload_name = await _file_bytes(
            input.file, input.content_base64, input.text, runtime.settings.max_job_description_bytes
        )
        given = jd_service.JobDescriptionInput(
            text=input.text if data is None else None,
            data=data,
            filename=input.filename or upload_name,
            title=input.title,
            company=input.company,
        )
        async with transaction(runtime.db) as session:
            row = await jd_service.create_job_description(session, runtime, user_id, given)
        await _upload_headers(info)
        return JobDescription.from_row(row)
