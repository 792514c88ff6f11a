"""Listings and batch look-ups: a Listing runs each window and its count in a read of its
own (the count may be asked for after the resolver returned); look-ups answer in the order
asked, None for ids that are not there."""

from __future__ import annotations

import uuid
from pathlib import Path

from app.db.models import JobDescription, Resume
from app.db.unit_of_work import reading, transaction
from app.runtime import Runtime
from app.services import lookups, resumes, stored_documents
from app.services.paging import Window
from tests.integration.services.conftest import RESUME, add_inputs


async def _more_resumes(runtime: Runtime, user_id: uuid.UUID, data: bytes, n: int) -> None:
    for i in range(n):  # one transaction each: distinct created_at, newest last
        async with transaction(runtime.db) as session:
            await resumes.upload_resume(
                session, runtime, user_id, resumes.ResumeUpload(data, f"cv-{i}.md", f"cv {i}")
            )


async def test_a_listing_pages_newest_first_both_ways_and_counts_only_the_owners_rows(
    runtime: Runtime, samples_dir: Path
) -> None:
    mine = await add_inputs(runtime, samples_dir)
    await add_inputs(runtime, samples_dir)  # someone else's resume: never listed
    await _more_resumes(runtime, mine.user_id, (samples_dir / RESUME).read_bytes(), 3)
    listing = resumes.list_resumes(runtime, mine.user_id)

    first = await listing.page(Window(size=2))
    assert [r.title for r in first.rows] == ["cv 2", "cv 1"] and first.has_more
    last_seen = first.rows[-1]
    rest = await listing.page(Window(size=2, after=(last_seen.created_at, last_seen.id)))
    assert len(rest.rows) == 2 and not rest.has_more
    assert rest.rows[0].title == "cv 0" and rest.rows[1].id == mine.resume_id
    oldest = await listing.page(Window(size=2, backward=True))  # `last: 2`, newest first
    assert [r.id for r in oldest.rows] == [r.id for r in rest.rows] and oldest.has_more
    assert await listing.count() == 4
    # The stored document is left unread by a listing, fetched as text when asked for.
    [text] = await _texts(runtime, [first.rows[0].id])
    assert text is not None and '"experience"' in text


async def _texts(runtime: Runtime, ids: list[uuid.UUID]) -> list[str | None]:
    async with reading(runtime.db) as session:
        return await stored_documents.parsed_texts(session, Resume, ids)


async def test_look_ups_answer_in_the_order_asked_with_none_for_missing_ids(
    runtime: Runtime, samples_dir: Path
) -> None:
    a, b = await add_inputs(runtime, samples_dir), await add_inputs(runtime, samples_dir)
    missing = uuid.uuid4()
    async with reading(runtime.db) as session:
        found = await lookups.resumes_by_ids(session, [b.resume_id, missing, a.resume_id])
        assert [r.id if r else None for r in found] == [b.resume_id, None, a.resume_id]
        assert await lookups.jobs_by_ids(session, [missing]) == [None]
        texts = await stored_documents.parsed_texts(
            session, JobDescription, [missing, a.job_description_id]
        )
    assert texts[0] is None and texts[1] is not None and "Keelson" in texts[1]
