"""Document parsing: pure functions from uploaded bytes (or pasted text) to typed documents.

`parse_resume` / `parse_job_posting*` run in-process; the `*_sandboxed` variants run the
same code in a resource-limited, killable worker process and should be used for
untrusted uploads.
"""

from app.documents.api import parse_job_posting, parse_job_posting_bytes, parse_resume
from app.documents.errors import DocumentError, ErrorCode
from app.documents.job_posting import required_years
from app.documents.models import (
    Contact,
    EducationEntry,
    ExperienceEntry,
    JobPosting,
    JobSection,
    JobSectionKind,
    Line,
    RemotePolicy,
    ResumeDocument,
    Section,
    SectionKind,
    SkillGroup,
    SourceSpan,
)
from app.documents.sandbox import parse_job_posting_sandboxed, parse_resume_sandboxed

__all__ = [
    "Contact",
    "DocumentError",
    "EducationEntry",
    "ErrorCode",
    "ExperienceEntry",
    "JobPosting",
    "JobSection",
    "JobSectionKind",
    "Line",
    "RemotePolicy",
    "ResumeDocument",
    "Section",
    "SectionKind",
    "SkillGroup",
    "SourceSpan",
    "parse_job_posting",
    "parse_job_posting_bytes",
    "parse_job_posting_sandboxed",
    "parse_resume",
    "parse_resume_sandboxed",
    "required_years",
]
