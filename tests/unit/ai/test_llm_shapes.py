"""The LLM path gives the same shapes as the local engine, through the real SDKs (HTTP
answered by respx): one header per entry and no structural damage (the gate runs after the
guard), left-out bullets listed, uncertain suggestions surfaced as warnings, letters that
name the company the posting names and never credit work to the wrong employer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
import respx

from app.ai.engine import AiCall, LlmEngine
from app.ai.factory import build_chain
from app.ai.prompts.results import UNCERTAIN
from app.ai.resilience import RetryPolicy
from app.documents import parse_job_posting, parse_resume
from app.documents.models import JobPosting, ResumeDocument, SectionKind
from app.tailoring.engine import LocalEngine
from app.tailoring.types import LineRole, Strategy
from tests.unit.ai.conftest import (
    ANTHROPIC_URL,
    OPENAI_URL,
    FakeSleep,
    anthropic_message,
    body,
    openai_completion,
)

PAIRS = Path(__file__).resolve().parents[2] / "fixtures" / "pairs"


@pytest.fixture
def resume() -> ResumeDocument:
    return parse_resume((PAIRS / "resumes" / "backend-engineer.md").read_bytes(), "r.md")


@pytest.fixture
def job() -> JobPosting:
    return parse_job_posting((PAIRS / "jobs" / "platform-engineer-orbital.txt").read_text())


def _engine(http_client: httpx2.AsyncClient, sleep: FakeSleep, chain: list[str]) -> LlmEngine:
    completer = build_chain(
        chain,
        openai_api_key="sk-test-openai-key",
        anthropic_api_key="sk-ant-test-key",
        retry_policy=RetryPolicy(sleep=sleep),
        http_client_factory=lambda: http_client,
    )
    calls: list[AiCall] = []

    async def sink(call: AiCall) -> None:
        calls.append(call)

    return LlmEngine(completer=completer, sink=sink)


def _line(text: str, ids: list[str], role: str) -> dict[str, Any]:
    return {"text": text, "source_line_ids": ids, "role": role}


def _draft_answer(resume: ResumeDocument) -> dict[str, Any]:
    """A model draft with the damage models produce: the entry header split over two
    header lines, a dates line as a bullet, a duplicate, one Lumen bullet left out."""
    by_text = {ln.text: ln.id for ln in resume.lines}

    def ids(text: str) -> list[str]:
        return [by_text[text]]

    lumen = [
        "Moved 40 services from EC2 to k8s on Amazon EKS, cutting deploy time from 45 to 6 minutes",
        "Designed a shipment-tracking API in Python and FastAPI serving 3M requests a day",
    ]
    experience = [
        _line("Senior Software Engineer | Lumen Freight", ids("Senior Software Engineer | Lumen Freight"), "header"),
        _line("Austin, TX · Mar 2021 – Present", ids("Austin, TX · Mar 2021 – Present"), "header"),
        *(_line(t, ids(t), "bullet") for t in lumen),
        _line(lumen[0], ids(lumen[0]), "bullet"),
        _line("Software Engineer | Brightline Payments", ids("Software Engineer | Brightline Payments"), "header"),
        _line("Dallas, TX · Jun 2017 – Feb 2021", ids("Dallas, TX · Jun 2017 – Feb 2021"), "bullet"),
        _line(
            "Wrote payment reconciliation services in Go processing 1.2M transactions a day",
            ids("Wrote payment reconciliation services in Go processing 1.2M transactions a day"),
            "bullet",
        ),
    ]  # fmt: skip
    return {
        "sections": [
            {"kind": "contact", "heading": "", "lines": [_line("Dana Okafor", ["L0"], "name")]},
            {"kind": "experience", "heading": "Experience", "lines": experience},
        ],
        "uncertain_suggestions": ["Mention Go concurrency work if it was production-facing"],
    }


async def test_llm_draft_is_gated_lists_left_out_and_surfaces_uncertain_ideas(
    router: respx.MockRouter,
    http_client: httpx2.AsyncClient,
    sleep: FakeSleep,
    resume: ResumeDocument,
    job: JobPosting,
) -> None:
    route = router.post(OPENAI_URL).respond(
        200, json=openai_completion(json.dumps(_draft_answer(resume)))
    )
    engine = _engine(http_client, sleep, ["openai"])
    plan = LocalEngine().plan(resume, job)
    draft = await engine.draft(resume, job, plan, Strategy.AGGRESSIVE_KEYWORDS)
    # The prompt asks for the shapes the gate enforces.
    system = next(m["content"] for m in body(route.calls[0])["messages"] if m["role"] == "system")
    assert "ONE header line" in system and "at most one alias in parentheses" in system
    experience = draft.section(SectionKind.EXPERIENCE)
    assert experience is not None
    roles = [(ln.role, ln.text[:24]) for ln in experience.lines]
    assert roles[:2] == [
        (LineRole.HEADER, "Senior Software Engineer"),
        (LineRole.META, "Austin, TX · Mar 2021 – "),
    ]
    assert (LineRole.META, "Dallas, TX · Jun 2017 – ") in roles  # dates line, not a bullet
    assert draft.to_markdown().count("### ") == 2  # one header per entry
    texts = [ln.text for ln in experience.lines]
    assert len(texts) == len(set(texts))  # the duplicate is gone
    assert "Cut Postgres query latency by 60% with partitioning and better indexes" in {
        ln.text for ln in draft.left_out
    }
    codes = [w.code for w in draft.warnings]
    assert "STRUCTURE_REPAIRED" in codes and UNCERTAIN in codes
    uncertain = next(w for w in draft.warnings if w.code == UNCERTAIN)
    assert uncertain.text == "Mention Go concurrency work if it was production-facing"
    assert any(w.startswith(UNCERTAIN) for w in engine.warnings)
    evaluation = await engine.evaluate(resume, job, draft)
    diff = next(d for d in evaluation.diff if d.kind is SectionKind.EXPERIENCE)
    assert "Cut Postgres query latency by 60% with partitioning and better indexes" in diff.left_out


async def test_llm_letter_keeps_the_company_and_drops_misattributed_work(
    router: respx.MockRouter,
    http_client: httpx2.AsyncClient,
    sleep: FakeSleep,
    resume: ResumeDocument,
    job: JobPosting,
) -> None:
    answer = {
        "paragraphs": [
            "Dear Orbital Logistics Hiring Team,",
            "I am applying for the Senior Platform Engineer position at Orbital Logistics.",
            "At Lumen Freight, I moved 40 services from EC2 to k8s on Amazon EKS. "
            "At Brightline Payments, I cut Postgres query latency by 60% with partitioning.",
            "Orbital Logistics moves freight for 4,000 shippers across North America, and I "
            "would like to help. Thank you for your consideration.",
        ],
        "uncertain_suggestions": ["Say more about on-call leadership"],
    }
    router.post(ANTHROPIC_URL).respond(
        200, json=anthropic_message(answer, tool_name="tailor_cover_letter")
    )
    engine = _engine(http_client, sleep, ["anthropic"])
    assert job.company is None or job.company == "Orbital Logistics"
    plan = LocalEngine().plan(resume, job)
    letter = await engine.cover_letter(resume, job, plan)
    assert "Dear Orbital Logistics Hiring Team," in letter.paragraphs
    assert "At Lumen Freight, I moved 40 services" in letter.text
    assert "At Brightline Payments" not in letter.text  # the Postgres work was at Lumen
    assert "4,000 shippers" in letter.text  # what the posting says about the company
    codes = {w.code for w in letter.warnings}
    assert {"MISATTRIBUTED_CLAIM", UNCERTAIN} <= codes
