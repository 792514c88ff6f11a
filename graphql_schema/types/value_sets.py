"""Closed sets the API stores as plain strings (provider, operation, outcome, template,
source format, ...), as described GraphQL enums. Read stored values with
`enums.parse(Enum, raw, Enum.OTHER)` so an unexpected value never breaks a read."""

from __future__ import annotations

import enum

from graphql_schema.types.enums import described


class AiProvider(str, enum.Enum):
    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    COMPATIBLE = "compatible"
    OTHER = "other"


described(
    AiProvider,
    "AiProvider",
    "An AI provider.",
    {
        "OPENAI": "OpenAI.",
        "ANTHROPIC": "Anthropic.",
        "COMPATIBLE": "An OpenAI-compatible server (Ollama, vLLM, ...).",
        "OTHER": "A provider this API does not name.",
    },
)


class UsageOperation(str, enum.Enum):
    PLAN = "plan"
    DRAFT = "draft"
    COVER_LETTER = "cover_letter"
    OTHER = "other"


described(
    UsageOperation,
    "UsageOperation",
    "The engine operation an AI call served.",
    {
        "PLAN": "Strengths, gaps and next steps.",
        "DRAFT": "The tailored resume.",
        "COVER_LETTER": "The cover letter.",
        "OTHER": "Any other operation.",
    },
)


class UsageOutcome(str, enum.Enum):
    OK = "ok"
    RETRY = "retry"
    ERROR = "error"
    INVALID_OUTPUT = "invalid_output"


described(
    UsageOutcome,
    "UsageOutcome",
    "How one AI call ended.",
    {
        "OK": "Answered with valid output.",
        "RETRY": "Failed transiently; retried.",
        "ERROR": "Failed; not retried further.",
        "INVALID_OUTPUT": "Answered, but the output failed validation.",
    },
)


class Template(str, enum.Enum):
    CLASSIC = "classic"
    MODERN = "modern"
    COMPACT = "compact"


described(
    Template,
    "Template",
    "Visual template of exported files.",
    {
        "CLASSIC": "Serif, traditional.",
        "MODERN": "Sans-serif with accents.",
        "COMPACT": "Dense, fits more on a page.",
    },
)


class SourceFormat(str, enum.Enum):
    PDF = "pdf"
    DOCX = "docx"
    MARKDOWN = "markdown"
    TEXT = "text"
    HTML = "html"
    OTHER = "other"


described(
    SourceFormat,
    "SourceFormat",
    "Format a document was read from.",
    {
        "PDF": "PDF.",
        "DOCX": "Word document.",
        "MARKDOWN": "Markdown.",
        "TEXT": "Plain text.",
        "HTML": "HTML.",
        "OTHER": "Another format.",
    },
)


class RateLimitedAction(str, enum.Enum):
    TAILOR = "tailor"
    UPLOAD = "upload"


described(
    RateLimitedAction,
    "RateLimitedAction",
    "An action whose use is rate-limited per user.",
    {
        "TAILOR": "The tailor and regenerate mutations.",
        "UPLOAD": "uploadResume and createJobDescription (one shared budget).",
    },
)


class WarningAction(str, enum.Enum):
    REVERTED = "reverted"
    DROPPED = "dropped"
    REMOVED_ITEM = "removed_item"
    FLAGGED = "flagged"
    OTHER = "other"


described(
    WarningAction,
    "WarningAction",
    "What the truth guard or quality gate did about a finding.",
    {
        "REVERTED": "The original text was put back.",
        "DROPPED": "The offending line was left out.",
        "REMOVED_ITEM": "The offending item was removed from its line.",
        "FLAGGED": "Kept as is, for you to review.",
        "OTHER": "Another action.",
    },
)


class InterviewCategory(str, enum.Enum):
    REQUIREMENT = "requirement"
    GAP = "gap"
    EXPERIENCE = "experience"
    BEHAVIOURAL = "behavioural"
    ROLE = "role"
    OTHER = "other"


described(
    InterviewCategory,
    "InterviewCategory",
    "What an interview question probes.",
    {
        "REQUIREMENT": "A requirement of the posting you meet.",
        "GAP": "A requirement you do not show yet.",
        "EXPERIENCE": "Something from your work history.",
        "BEHAVIOURAL": "How you work with others.",
        "ROLE": "The role and company themselves.",
        "OTHER": "Anything else.",
    },
)
