"""tailor / regenerate / cancelJob mutations, job queries and progress subscriptions."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from app.ai.types import ThinkingTime
from app.auth.api_keys import Scope
from app.db.models.enums import JobStatus
from app.db.unit_of_work import transaction
from app.services import jobs as job_service
from app.services.contact_input import contact_override
from app.services.job_stream import follow_job_progress, follow_my_jobs
from app.services.jobs import EngineName
from app.services.paging import Listing
from app.tailoring.contact_override import ContactOverride
from app.tailoring.types import Strategy
from graphql_schema.context import Context
from graphql_schema.fanout import shared_payload
from graphql_schema.ids import parse_id
from graphql_schema.live_send import send_live
from graphql_schema.owned import Owned
from graphql_schema.pagination import Connection
from graphql_schema.permissions import acting_user, caller, scoped, user_mutation
from graphql_schema.rate_headers import set_rate_headers
from graphql_schema.resolvers.usage import rate_limit_status
from graphql_schema.types.jobs import Job, JobEvent, TailorPayload
from graphql_schema.types.value_sets import RateLimitedAction


@strawberry.input(
    description="The contact block to print on the tailored resume and cover letter instead "
    "of the resume's. Every field is optional: one left out keeps the resume's value."
)
class ContactInput:
    name: str | None = strawberry.field(default=None, description="Full name (≤ 100 chars).")
    email: str | None = strawberry.field(
        default=None, description="E-mail address; INVALID_INPUT if it is not one."
    )
    phone: str | None = strawberry.field(default=None, description="Phone number (≤ 40 chars).")
    location: str | None = strawberry.field(
        default=None, description="Where you are, e.g. 'Lisbon, Portugal' (≤ 100 chars)."
    )
    links: list[str] | None = strawberry.field(
        default=None,
        description="Up to 5 links (portfolio, LinkedIn, GitHub); an empty list prints none.",
    )

    def to_override(self) -> ContactOverride | None:
        return contact_override(
            name=self.name,
            email=self.email,
            phone=self.phone,
            location=self.location,
            links=self.links,
        )


@strawberry.input(description="What to tailor, and how.")
class TailorInput:
    resume_id: strawberry.ID = strawberry.field(description="A parsed resume of yours.")
    job_description_id: strawberry.ID = strawberry.field(description="A job description.")
    strategy: Strategy = strawberry.field(
        default=Strategy.DEFAULT, description="How far the tailoring may go."
    )
    engine: EngineName | None = strawberry.field(
        default=None, description="LOCAL or LLM (default: the server's)."
    )
    model: str | None = strawberry.field(
        default=None,
        description="LLM model; routed to the provider that serves it, INVALID_INPUT if none "
        "does (default: the first provider's default model). Only with engine LLM.",
    )
    thinking_time: ThinkingTime | None = strawberry.field(
        default=None, description="LLM reasoning budget."
    )
    client_request_id: str | None = strawberry.field(
        default=None, description="Idempotency key: the same key returns the same job."
    )
    regenerate: bool = strawberry.field(
        default=False, description="Run again even if a completed result exists."
    )
    contact: ContactInput | None = strawberry.field(
        default=None,
        description="Contact details to use on this job's documents instead of the resume's; "
        "part of the request, so a different contact block is a different result.",
    )


JOBS = Owned(Job, Scope.JOBS_READ, "job")


def _jobs(
    info: Info[Context, None],
    status: Annotated[
        JobStatus | None, strawberry.argument(description="Only jobs with this status.")
    ] = None,
) -> Listing[Any]:
    return job_service.list_jobs(info.context.runtime, caller(info).user_id, status=status)


@strawberry.type
class JobQueries:
    job: Job = JOBS.by_id(job_service.get_job, "One of the caller's jobs.")

    jobs: Connection[Job] = JOBS.connection(
        _jobs, "The caller's jobs, newest first, optionally by status."
    )


@strawberry.type
class JobMutations:
    @user_mutation(
        "Tailor a resume to a job description. Returns at once with a QUEUED job "
        "(or the cached result); follow it with the jobProgress subscription."
    )
    async def tailor(
        self,
        info: Info[Context, None],
        input: Annotated[TailorInput, strawberry.argument(description="What to tailor, how.")],
    ) -> TailorPayload:
        request = job_service.TailorRequest(
            resume_id=parse_id(input.resume_id, "resumeId"),
            job_description_id=parse_id(input.job_description_id, "jobDescriptionId"),
            strategy=input.strategy,
            engine=input.engine,
            model=input.model,
            thinking_time=input.thinking_time,
            client_request_id=input.client_request_id,
            regenerate=input.regenerate,
            contact=input.contact.to_override() if input.contact else None,
        )
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            outcome = await job_service.request_tailoring(session, runtime, user_id, request)
        if runtime.settings.tailor_rate_limit_per_minute > 0:  # no limit: no headers to set
            status = await rate_limit_status(runtime, RateLimitedAction.TAILOR, str(user_id))
            set_rate_headers(info.context, status)
        return TailorPayload(job=Job.from_row(outcome.job), cached=outcome.cached)

    @user_mutation("Start a new job with the same inputs as an earlier one.")
    async def regenerate(
        self,
        info: Info[Context, None],
        job_id: Annotated[strawberry.ID, strawberry.argument(description="The earlier job.")],
    ) -> TailorPayload:
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            outcome = await job_service.regenerate(
                session, runtime, user_id, parse_id(job_id, "jobId")
            )
        return TailorPayload(job=Job.from_row(outcome.job), cached=False)

    @user_mutation("Cancel a queued or running job.")
    async def cancel_job(
        self,
        info: Info[Context, None],
        job_id: Annotated[strawberry.ID, strawberry.argument(description="The job to cancel.")],
    ) -> Job:
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            row = await job_service.cancel(session, runtime, user_id, parse_id(job_id, "jobId"))
        return Job.from_row(row)


@strawberry.type
class JobSubscriptions:
    @strawberry.subscription(
        extensions=scoped(Scope.JOBS_READ),
        description="Every event of a job with seq > afterSeq, in order, exactly once; ends "
        "after the terminal event. Late subscribers get the history first.",
    )
    async def job_progress(
        self,
        info: Info[Context, None],
        job_id: Annotated[strawberry.ID, strawberry.argument(description="The job to follow.")],
        after_seq: Annotated[
            int, strawberry.argument(description="Last seq already seen (0: from the start).")
        ] = 0,
    ) -> AsyncGenerator[JobEvent, None]:
        events = follow_job_progress(
            info.context.runtime, caller(info).user_id, parse_id(job_id, "jobId"), after_seq
        )
        async for event in events:
            payload = shared_payload(event, JobEvent.from_view)  # one execution per event
            if not await send_live(payload):
                yield payload

    @strawberry.subscription(
        extensions=scoped(Scope.JOBS_READ),
        description="Events of all the caller's jobs from now on: 'notify me when ready'.",
    )
    async def my_jobs(self, info: Info[Context, None]) -> AsyncGenerator[JobEvent, None]:
        async for event in follow_my_jobs(info.context.runtime, caller(info).user_id):
            payload = shared_payload(event, JobEvent.from_view)
            if not await send_live(payload):
                yield payload
