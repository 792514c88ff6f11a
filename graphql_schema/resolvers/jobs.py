"""tailor / regenerate / cancelJob mutations, job queries and progress subscriptions."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from app.ai.types import ThinkingTime
from app.auth.api_keys import Scope
from app.db.models.enums import JobStatus
from app.events.stream import follow_job, follow_user
from app.services import jobs as job_service
from app.services.jobs import EngineName
from app.tailoring.types import Strategy
from graphql_schema.context import Context
from graphql_schema.ids import parse_id
from graphql_schema.pagination import Connection, build_connection, page_request
from graphql_schema.types.jobs import Job, JobEvent, TailorPayload


@strawberry.input(description="What to tailor, and how.")
class TailorInput:
    resume_id: strawberry.ID = strawberry.field(description="A parsed resume of yours.")
    job_description_id: strawberry.ID = strawberry.field(description="A job description.")
    strategy: Strategy = strawberry.field(
        default=Strategy.DEFAULT, description="How far the tailoring may go."
    )
    engine: EngineName | None = strawberry.field(
        default=None, description="local or llm (default: the server's)."
    )
    model: str | None = strawberry.field(default=None, description="LLM model name.")
    thinking_time: ThinkingTime | None = strawberry.field(
        default=None, description="LLM reasoning budget."
    )
    client_request_id: str | None = strawberry.field(
        default=None, description="Idempotency key: the same key returns the same job."
    )
    regenerate: bool = strawberry.field(
        default=False, description="Run again even if a completed result exists."
    )


@strawberry.type
class JobQueries:
    @strawberry.field(description="One of the caller's jobs.")
    async def job(self, info: Info[Context, None], id: strawberry.ID) -> Job:
        principal = info.context.require_principal()
        principal.require_scope(Scope.JOBS_READ)
        row = await job_service.get_job(info.context.runtime, principal.user_id, parse_id(id))
        return Job.from_row(row)

    @strawberry.field(description="The caller's jobs, newest first, optionally by status.")
    async def jobs(
        self,
        info: Info[Context, None],
        status: JobStatus | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Job]:
        principal = info.context.require_principal()
        principal.require_scope(Scope.JOBS_READ)
        page = page_request(first, after)
        rows = await job_service.list_jobs(
            info.context.runtime,
            principal.user_id,
            status=status,
            limit=page.limit,
            after=page.after,
        )
        return build_connection(rows, page.size, Job.from_row)


@strawberry.type
class JobMutations:
    @strawberry.mutation(
        description="Tailor a resume to a job description. Returns at once with a QUEUED job "
        "(or the cached result); follow it with the jobProgress subscription."
    )
    async def tailor(self, info: Info[Context, None], input: TailorInput) -> TailorPayload:
        principal = info.context.require_user()
        request = job_service.TailorRequest(
            resume_id=parse_id(input.resume_id, "resumeId"),
            job_description_id=parse_id(input.job_description_id, "jobDescriptionId"),
            strategy=input.strategy,
            engine=input.engine,
            model=input.model,
            thinking_time=input.thinking_time,
            client_request_id=input.client_request_id,
            regenerate=input.regenerate,
        )
        outcome = await job_service.request_tailoring(
            info.context.runtime, principal.user_id, request
        )
        return TailorPayload(job=Job.from_row(outcome.job), cached=outcome.cached)

    @strawberry.mutation(description="Start a new job with the same inputs as an earlier one.")
    async def regenerate(self, info: Info[Context, None], job_id: strawberry.ID) -> TailorPayload:
        principal = info.context.require_user()
        outcome = await job_service.regenerate(
            info.context.runtime, principal.user_id, parse_id(job_id, "jobId")
        )
        return TailorPayload(job=Job.from_row(outcome.job), cached=False)

    @strawberry.mutation(description="Cancel a queued or running job.")
    async def cancel_job(self, info: Info[Context, None], job_id: strawberry.ID) -> Job:
        principal = info.context.require_user()
        row = await job_service.cancel(
            info.context.runtime, principal.user_id, parse_id(job_id, "jobId")
        )
        return Job.from_row(row)


@strawberry.type
class JobSubscriptions:
    @strawberry.subscription(
        description="Every event of a job with seq > afterSeq, in order, exactly once; ends "
        "after the terminal event. Late subscribers get the history first."
    )
    async def job_progress(
        self, info: Info[Context, None], job_id: strawberry.ID, after_seq: int = 0
    ) -> AsyncGenerator[JobEvent, None]:
        principal = info.context.require_principal()
        principal.require_scope(Scope.JOBS_READ)
        runtime = info.context.runtime
        job = await job_service.get_job(runtime, principal.user_id, parse_id(job_id, "jobId"))
        async for event in follow_job(runtime.db, runtime.hub, job.id, max(after_seq, 0)):
            yield JobEvent.from_view(event)

    @strawberry.subscription(
        description="Events of all the caller's jobs from now on: 'notify me when ready'."
    )
    async def my_jobs(self, info: Info[Context, None]) -> AsyncGenerator[JobEvent, None]:
        principal = info.context.require_principal()
        principal.require_scope(Scope.JOBS_READ)
        runtime = info.context.runtime
        async for event in follow_user(runtime.db, runtime.hub, principal.user_id):
            yield JobEvent.from_view(event)
