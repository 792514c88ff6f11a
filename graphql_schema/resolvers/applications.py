"""Applications: track, change status, analytics, apply by e-mail, follow changes live.

Reads take a signed-in user or an API key with `applications:read`; writes need a
signed-in user. (Checked in each resolver with the Principal helpers; ScopeGuard in
graphql_schema/permissions.py also checks the Application types at every depth.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from app.auth.api_keys import Scope
from app.db.models.enums import ApplicationStatus, ExportFormat
from app.db.unit_of_work import reading, transaction
from app.services import analytics, deletion
from app.services import applications as app_service
from app.services import apply_email as email_service
from app.services.analytics import AnalyticsKind
from app.services.application_stream import follow_applications
from app.services.paging import Listing
from graphql_schema.context import Context
from graphql_schema.ids import parse_id
from graphql_schema.owned import Owned, change_by_id
from graphql_schema.pagination import Connection
from graphql_schema.permissions import acting_user, caller, scoped, user_mutation
from graphql_schema.types.applications import (
    AnalyticsCount,
    Application,
    ApplicationEvent,
    EmailSend,
    TrackedEvent,
)


@strawberry.input(description="What to track: a version (preferred) or a completed job.")
class CreateApplicationInput:
    version_id: strawberry.ID | None = strawberry.field(
        default=None, description="An accepted version (its job gives the posting)."
    )
    job_id: strawberry.ID | None = strawberry.field(
        default=None, description="A completed job (its newest version is attached)."
    )
    company: str | None = strawberry.field(default=None, description="Default: the posting's.")
    role_title: str | None = strawberry.field(default=None, description="Default: the posting's.")
    posting_url: str | None = strawberry.field(
        default=None, description="The original posting (default: a URL found in it)."
    )
    contact_email: str | None = strawberry.field(default=None, description="Apply-to address.")
    notes: str | None = strawberry.field(default=None, description="Notes for yourself.")
    follow_up_at: dt.datetime | None = strawberry.field(default=None, description="Reminder.")


@strawberry.input(description="Fields to change; omitted ones stay as they are.")
class UpdateApplicationInput:
    notes: str | None = strawberry.field(default=None, description="Replace the notes.")
    follow_up_at: dt.datetime | None = strawberry.field(default=None, description="Reminder.")
    clear_follow_up: bool = strawberry.field(default=False, description="Remove the reminder.")
    posting_url: str | None = strawberry.field(default=None, description="Posting URL.")
    contact_email: str | None = strawberry.field(default=None, description="Apply-to address.")
    company: str | None = strawberry.field(default=None, description="Company.")
    role_title: str | None = strawberry.field(default=None, description="Role title.")


@strawberry.input(
    description="Details of an analytics event (typed, not free JSON); a kind refuses fields "
    "it does not take with INVALID_INPUT."
)
class AnalyticsPayloadInput:
    source: str | None = strawberry.field(
        default=None, description="APPLICATION_STARTED: where it was started (<= 100 chars)."
    )
    field: str | None = strawberry.field(
        default=None,
        description="AUTOFILL_COPIED: the form-data field copied (email, links.github, "
        "work_history.0.title).",
    )
    url: str | None = strawberry.field(
        default=None, description="JOB_PAGE_OPENED: the posting's http(s) URL."
    )
    channel: str | None = strawberry.field(
        default=None, description="SUBMITTED: web, email or other (default web)."
    )

    def as_dict(self) -> dict[str, str]:
        given = {"source": self.source, "field": self.field, "url": self.url}
        given["channel"] = self.channel
        return {k: v for k, v in given.items() if v is not None}


APPLICATIONS = Owned(Application, Scope.APPLICATIONS_READ, "application")


def _applications(
    info: Info[Context, None],
    status: Annotated[
        ApplicationStatus | None,
        strawberry.argument(description="Only applications with this status."),
    ] = None,
) -> Listing[Any]:
    user_id = caller(info).user_id
    return app_service.list_applications(info.context.runtime, user_id, status=status)


@strawberry.type
class ApplicationQueries:
    applications: Connection[Application] = APPLICATIONS.connection(
        _applications, "Your applications, newest first, optionally by status."
    )

    application: Application = APPLICATIONS.by_id(
        app_service.get_application, "One of your applications."
    )

    @strawberry.field(
        extensions=scoped(Scope.APPLICATIONS_READ),
        description="Analytics events counted per kind and day (UTC), for all applications "
        "or one; default range: the last 30 days.",
    )
    async def application_analytics(
        self,
        info: Info[Context, None],
        application_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="One application (default: all of yours)."),
        ] = None,
        from_: Annotated[
            dt.date | None,
            strawberry.argument(name="from", description="First day of the range (UTC)."),
        ] = None,
        to: Annotated[
            dt.date | None,
            strawberry.argument(description="Last day of the range (UTC), inclusive."),
        ] = None,
    ) -> list[AnalyticsCount]:
        principal = caller(info)
        runtime = info.context.runtime
        app_id = parse_id(application_id, "applicationId") if application_id else None
        until = to or dt.datetime.now(dt.UTC).date()
        since = from_ or until - dt.timedelta(days=30)
        async with reading(runtime.db) as session:
            if app_id is not None:
                await app_service.get_application(session, principal.user_id, app_id)
            counts = await analytics.daily_counts(
                session, principal.user_id, since=since, until=until, application_id=app_id
            )
        return [AnalyticsCount.from_count(c) for c in counts]

    email_send: EmailSend = Owned(EmailSend, Scope.APPLICATIONS_READ, "e-mail send").by_id(
        email_service.get_send,
        "One apply-by-e-mail message and its delivery state.",
        id_description="The e-mail send's id (from applyByEmail).",
    )


@strawberry.type
class ApplicationMutations:
    @user_mutation(
        "Track an application for an accepted version (or a completed job): "
        "ties the posting, the version, the form data and interview prep together."
    )
    async def create_application(
        self,
        info: Info[Context, None],
        input: Annotated[
            CreateApplicationInput, strawberry.argument(description="The application.")
        ],
    ) -> Application:
        new = app_service.NewApplication(
            version_id=parse_id(input.version_id, "versionId") if input.version_id else None,
            job_id=parse_id(input.job_id, "jobId") if input.job_id else None,
            company=input.company,
            role_title=input.role_title,
            posting_url=input.posting_url,
            contact_email=input.contact_email,
            notes=input.notes,
            follow_up_at=input.follow_up_at,
        )
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            row = await app_service.create_application(session, runtime, user_id, new)
        return Application.from_row(row)

    @user_mutation("Move an application to a new status (INVALID_TRANSITION if not allowed).")
    async def update_application_status(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The application.")],
        status: Annotated[ApplicationStatus, strawberry.argument(description="Its new status.")],
        note: Annotated[
            str | None, strawberry.argument(description="Why, kept in the change history.")
        ] = None,
    ) -> Application:
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            row = await app_service.change_status(
                session, runtime, user_id, parse_id(id), status, note
            )
        return Application.from_row(row)

    @user_mutation("Edit notes, follow-up date, posting URL, contact, ...")
    async def update_application(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The application.")],
        input: Annotated[
            UpdateApplicationInput, strawberry.argument(description="The fields to change.")
        ],
    ) -> Application:
        changes = app_service.ApplicationEdit(
            notes=input.notes,
            follow_up_at=input.follow_up_at,
            clear_follow_up=input.clear_follow_up,
            posting_url=input.posting_url,
            contact_email=input.contact_email,
            company=input.company,
            role_title=input.role_title,
        )
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            row = await app_service.edit(session, runtime, user_id, parse_id(id), changes)
        return Application.from_row(row)

    delete_application: bool = change_by_id(
        deletion.delete_application,
        None,
        "Delete an application with its history and events.",
        "The application to delete.",
    )

    @user_mutation(
        "Record an analytics event (APPLICATION_STARTED, AUTOFILL_COPIED with "
        "{field}, JOB_PAGE_OPENED with {url}, SUBMITTED with {channel}); payload <= 2 KB."
    )
    async def track_event(
        self,
        info: Info[Context, None],
        application_id: Annotated[
            strawberry.ID, strawberry.argument(description="The application the event is about.")
        ],
        kind: Annotated[AnalyticsKind, strawberry.argument(description="What happened.")],
        payload: Annotated[
            AnalyticsPayloadInput | None,
            strawberry.argument(description="Details; each kind takes only its own fields."),
        ] = None,
    ) -> TrackedEvent:
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            row = await analytics.track(
                session,
                runtime,
                user_id,
                parse_id(application_id, "applicationId"),
                kind.value,
                payload.as_dict() if payload is not None else None,
            )
        return TrackedEvent.from_row(row)

    @user_mutation(
        "E-mail the tailored resume and cover letter (PDF, or DOCX) to the "
        "posting's address or `to`. Sent by the worker; the application becomes APPLIED "
        "when the mail server accepts it. Follow it with emailSend(id)."
    )
    async def apply_by_email(
        self,
        info: Info[Context, None],
        application_id: Annotated[
            strawberry.ID, strawberry.argument(description="The application to apply for.")
        ],
        to: Annotated[
            str | None,
            strawberry.argument(description="Recipient address (default: the posting's)."),
        ] = None,
        subject: Annotated[
            str | None,
            strawberry.argument(description="Subject line (default: the job title and your name)."),
        ] = None,
        message: Annotated[
            str | None, strawberry.argument(description="Body text (default: a short note).")
        ] = None,
        format: Annotated[
            ExportFormat, strawberry.argument(description="Attachment format: PDF or DOCX.")
        ] = ExportFormat.PDF,
        client_request_id: Annotated[
            str | None,
            strawberry.argument(
                description="Idempotency key: the same key returns the same send (nothing "
                "is sent again); reused for a different request it is IDEMPOTENCY_KEY_REUSED."
            ),
        ] = None,
    ) -> EmailSend:
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            row = await email_service.request_send(
                session,
                runtime,
                user_id,
                parse_id(application_id, "applicationId"),
                to=to,
                subject=subject,
                message=message,
                attachment_format=format,
                client_request_id=client_request_id,
            )
        return EmailSend.from_row(row)

    @user_mutation(
        "Send an UNCONFIRMED e-mail again (the worker stopped while handing it to the mail "
        "server, so it may have arrived): with confirmResend: true it is queued once more "
        "with the same Message-ID, which receiving systems use to drop a copy they have. "
        "A send already QUEUED, SENDING or SENT is returned unchanged."
    )
    async def resend_application_email(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The e-mail send's id.")],
        confirm_resend: Annotated[
            bool,
            strawberry.argument(
                description="You accept that the recipient may get it twice (required)."
            ),
        ] = False,
    ) -> EmailSend:
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            row = await email_service.confirm_resend(
                session, runtime, user_id, parse_id(id, "id"), confirmed=confirm_resend
            )
        return EmailSend.from_row(row)


@strawberry.type
class ApplicationSubscriptions:
    @strawberry.subscription(
        extensions=scoped(Scope.APPLICATIONS_READ),
        description="Every change to your applications from now on (created, status "
        "changes, edits, e-mails sent), each exactly once and in order.",
    )
    async def application_changes(
        self, info: Info[Context, None]
    ) -> AsyncGenerator[ApplicationEvent, None]:
        async for row in follow_applications(info.context.runtime, caller(info).user_id):
            yield ApplicationEvent.from_row(row)
