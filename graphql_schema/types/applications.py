"""GraphQL types for applications, their history, analytics, e-mails, share links and
credits."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry

from app.db.models import AnalyticsEvent as AnalyticsRow
from app.db.models import Application as ApplicationRow
from app.db.models import ApplicationEvent as ApplicationEventRow
from app.db.models import CreditLedgerEntry
from app.db.models import EmailSend as EmailSendRow
from app.db.models import ShareLink as ShareLinkRow
from app.db.models.enums import ApplicationStatus, ExportFormat
from app.services.analytics import AnalyticsKind, DailyCount
from graphql_schema.loaders import loaders
from graphql_schema.types.artifacts import FormData, InterviewPrep
from graphql_schema.types.enums import described
from graphql_schema.types.jobs import Job
from graphql_schema.types.versions import Version

described(
    ApplicationStatus,
    "ApplicationStatus",
    "Where an application stands: PENDING -> APPLIED -> INTERVIEW -> OFFER, "
    "or REJECTED / WITHDRAWN.",
    {
        "PENDING": "Prepared, not sent yet.",
        "APPLIED": "Sent to the employer.",
        "INTERVIEW": "Invited to interview.",
        "OFFER": "An offer was made.",
        "REJECTED": "The employer said no.",
        "WITHDRAWN": "You withdrew.",
    },
)
described(
    AnalyticsKind,
    "AnalyticsEventKind",
    "Kinds of analytics events. APPLY_EMAIL_SENT and STATUS_CHANGED are recorded by the "
    "server only.",
    {
        "APPLICATION_STARTED": "You started an application (payload: source).",
        "AUTOFILL_COPIED": "You copied a form-data field (payload: field).",
        "JOB_PAGE_OPENED": "You opened the posting's page (payload: url).",
        "SUBMITTED": "You submitted the application (payload: channel).",
        "APPLY_EMAIL_SENT": "The server sent the application by e-mail.",
        "STATUS_CHANGED": "The application's status changed.",
    },
)


class EmailSendStatus(enum.Enum):
    QUEUED = "QUEUED"
    SENDING = "SENDING"
    SENT = "SENT"
    UNCONFIRMED = "UNCONFIRMED"
    FAILED = "FAILED"


described(
    EmailSendStatus,
    "EmailSendStatus",
    "Where an apply-by-e-mail message stands.",
    {
        "QUEUED": "Waiting for the worker.",
        "SENDING": "Being handed to the mail server.",
        "SENT": "The mail server accepted it.",
        "UNCONFIRMED": "The worker stopped while handing it to the mail server: it may "
        "have arrived. Not sent again unless you call resendApplicationEmail with "
        "confirmResend: true (errorCode DELIVERY_UNCONFIRMED).",
        "FAILED": "It could not be sent; errorCode says why.",
    },
)


@strawberry.type(description="A short-lived download link to a stored file.")
class FileLink:
    url: str = strawberry.field(description="Signed URL.")
    expires_at: dt.datetime = strawberry.field(description="When the URL stops working.")


@strawberry.type(description="One change of an application: who, when, what, and a note.")
class ApplicationEvent:
    id: strawberry.ID = strawberry.field(description="Monotonic event id.")
    application_id: strawberry.ID = strawberry.field(description="The application.")
    kind: str = strawberry.field(description="created, status_changed, updated or email_sent.")
    actor: str = strawberry.field(description="'user' (the person) or 'system' (the server).")
    from_status: ApplicationStatus | None = strawberry.field(description="Status before.")
    to_status: ApplicationStatus = strawberry.field(description="Status after.")
    note: str | None = strawberry.field(description="Note given with the change.")
    created_at: dt.datetime = strawberry.field(description="When it happened.")

    @classmethod
    def from_row(cls, row: ApplicationEventRow) -> ApplicationEvent:
        return cls(
            id=strawberry.ID(str(row.id)),
            application_id=strawberry.ID(str(row.application_id)),
            kind=row.kind,
            actor=row.actor,
            from_status=row.from_status,
            to_status=row.to_status,
            note=row.note,
            created_at=row.created_at,
        )


@strawberry.type(description="An apply-by-e-mail message and its delivery state.")
class EmailSend:
    id: strawberry.ID = strawberry.field(description="Send id.")
    status: EmailSendStatus = strawberry.field(
        description="QUEUED, SENDING, SENT, UNCONFIRMED or FAILED."
    )
    to: str = strawberry.field(description="Recipient.")
    subject: str = strawberry.field(description="Subject line.")
    format: ExportFormat = strawberry.field(description="Attachment format (PDF or DOCX).")
    attempts: int = strawberry.field(description="Delivery attempts so far.")
    error_code: str | None = strawberry.field(
        description="SMTP_REJECTED, SMTP_TEMPORARY_FAILURE, DELIVERY_UNCONFIRMED, "
        "ATTACHMENT_TOO_LARGE, ..."
    )
    error_message: str | None = strawberry.field(description="What went wrong, if it did.")
    sent_at: dt.datetime | None = strawberry.field(description="When the server accepted it.")
    created_at: dt.datetime = strawberry.field(description="When it was requested.")
    message_id: str = strawberry.field(
        description="Its Message-ID header, fixed when requested: a confirmed re-send reuses it."
    )

    @classmethod
    def from_row(cls, row: EmailSendRow) -> EmailSend:
        return cls(
            id=strawberry.ID(str(row.id)),
            status=EmailSendStatus(row.status),
            to=row.to_address,
            subject=row.subject,
            format=ExportFormat(row.attachment_format),
            attempts=row.attempts,
            error_code=row.error_code,
            error_message=row.error_message,
            sent_at=row.sent_at,
            created_at=row.created_at,
            message_id=row.message_id,
        )


@strawberry.type(description="How many events of one kind happened on one day (UTC).")
class AnalyticsCount:
    day: dt.date = strawberry.field(description="The day (UTC).")
    kind: AnalyticsKind = strawberry.field(description="Event kind.")
    count: int = strawberry.field(description="Number of events.")

    @classmethod
    def from_count(cls, item: DailyCount) -> AnalyticsCount:
        return cls(day=item.day, kind=AnalyticsKind(item.kind), count=item.count)


@strawberry.type(description="A recorded analytics event.")
class TrackedEvent:
    id: strawberry.ID = strawberry.field(description="Event id.")
    kind: AnalyticsKind = strawberry.field(description="Event kind.")
    created_at: dt.datetime = strawberry.field(description="When it was recorded.")

    @classmethod
    def from_row(cls, row: AnalyticsRow) -> TrackedEvent:
        return cls(
            id=strawberry.ID(str(row.id)), kind=AnalyticsKind(row.kind), created_at=row.created_at
        )


@strawberry.type(description="A job application being tracked.")
class Application:
    id: strawberry.ID = strawberry.field(description="Application id.")
    status: ApplicationStatus = strawberry.field(description="Current status.")
    company: str | None = strawberry.field(description="Hiring company.")
    role_title: str | None = strawberry.field(description="Role applied for.")
    posting_url: str | None = strawberry.field(description="The original posting's URL.")
    contact_email: str | None = strawberry.field(description="Where to apply by e-mail.")
    applied_at: dt.datetime | None = strawberry.field(description="When it became APPLIED.")
    follow_up_at: dt.datetime | None = strawberry.field(description="When to follow up.")
    notes: str | None = strawberry.field(description="The person's notes.")
    created_at: dt.datetime = strawberry.field(description="When it was created.")
    updated_at: dt.datetime = strawberry.field(description="Last change.")
    row: strawberry.Private[ApplicationRow]

    @strawberry.field(description="Auto-fill data for the application form (typed).")
    def form_data(self) -> FormData | None:
        return FormData.parse(self.row.form_data)

    @strawberry.field(description="Interview preparation for this job.")
    def interview_prep(self) -> InterviewPrep | None:
        return InterviewPrep.parse(self.row.interview_prep)

    @strawberry.field(description="form_data.json to download (fresh signed link).")
    async def form_data_download(self, info: strawberry.Info) -> FileLink | None:
        if not self.row.form_data_key:
            return None
        runtime = info.context.runtime
        ttl = runtime.settings.download_url_ttl_s
        url = await runtime.store.signed_url(self.row.form_data_key, ttl, filename="form_data.json")
        return FileLink(url=url, expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=ttl))

    @strawberry.field(description="The accepted version sent with it (resume + letter).")
    async def version(self, info: strawberry.Info) -> Version | None:
        if self.row.version_id is None:
            return None
        row = await loaders(info.context.runtime).application_versions.load(self.row.version_id)
        return Version.from_row(row) if row is not None else None

    @strawberry.field(description="The tailoring job it came from.")
    async def job(self, info: strawberry.Info) -> Job | None:
        if self.row.job_id is None:
            return None
        row = await loaders(info.context.runtime).jobs.load(self.row.job_id)
        return Job.from_row(row) if row is not None else None

    @strawberry.field(description="Every change, oldest first.")
    async def history(self, info: strawberry.Info) -> list[ApplicationEvent]:
        rows = await loaders(info.context.runtime).application_history.load(self.row.id)
        return [ApplicationEvent.from_row(r) for r in rows]

    @strawberry.field(description="Apply-by-e-mail messages, newest first.")
    async def emails(self, info: strawberry.Info) -> list[EmailSend]:
        rows = await loaders(info.context.runtime).application_emails.load(self.row.id)
        return [EmailSend.from_row(r) for r in rows]

    @classmethod
    def from_row(cls, row: ApplicationRow) -> Application:
        return cls(
            id=strawberry.ID(str(row.id)),
            status=row.status,
            company=row.company,
            role_title=row.role_title,
            posting_url=row.posting_url,
            contact_email=row.contact_email,
            applied_at=row.applied_at,
            follow_up_at=row.follow_up_at,
            notes=row.notes,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )


@strawberry.type(description="A read-only link to one version (no account needed).")
class ShareLink:
    id: strawberry.ID = strawberry.field(description="Share link id (for revokeShareLink).")
    version_id: strawberry.ID = strawberry.field(description="The shared version.")
    expires_at: dt.datetime = strawberry.field(description="When it stops working.")
    revoked_at: dt.datetime | None = strawberry.field(description="When it was revoked.")
    view_count: int = strawberry.field(description="Page views so far.")
    last_viewed_at: dt.datetime | None = strawberry.field(description="Last page view.")
    created_at: dt.datetime = strawberry.field(description="When it was created.")

    @strawberry.field(description="Whether it still opens (not revoked, not expired).")
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > dt.datetime.now(dt.UTC)

    @classmethod
    def from_row(cls, row: ShareLinkRow) -> ShareLink:
        return cls(
            id=strawberry.ID(str(row.id)),
            version_id=strawberry.ID(str(row.version_id)),
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            view_count=row.view_count,
            last_viewed_at=row.last_viewed_at,
            created_at=row.created_at,
        )


@strawberry.type(description="A new share link; the URL (with its secret) is shown once.")
class CreatedShareLink:
    share_link: ShareLink = strawberry.field(description="The link's record.")
    url: str = strawberry.field(description="The public URL. Keep it: it is not stored.")


@strawberry.type(description="One credit ledger row.")
class CreditEntry:
    id: strawberry.ID = strawberry.field(description="Entry id.")
    delta: int = strawberry.field(description="Credits added (+) or held/spent (-).")
    reason: str = strawberry.field(description="grant, reserve, release or settle.")
    note: str | None = strawberry.field(description="Why (grants).")
    job_id: strawberry.ID | None = strawberry.field(description="The job it concerns.")
    created_at: dt.datetime = strawberry.field(description="When.")

    @classmethod
    def from_row(cls, row: CreditLedgerEntry) -> CreditEntry:
        return cls(
            id=strawberry.ID(str(row.id)),
            delta=row.delta,
            reason=row.reason,
            note=row.note,
            job_id=strawberry.ID(str(row.job_id)) if row.job_id else None,
            created_at=row.created_at,
        )


@strawberry.type(description="A credit balance after an admin grant.")
class CreditGrant:
    entry: CreditEntry = strawberry.field(description="The grant's ledger row.")
    balance: int = strawberry.field(description="The user's balance after it.")
