"""GraphQL documents shared by the integration tests."""

UPLOAD_RESUME = """
mutation($input: UploadResumeInput!) {
  uploadResume(input: $input) {
    id title sourceFormat parseStatus parseError { code message }
    parsed { contact { name email } experience { employer title start end bullets } skills }
  }
}
"""

CREATE_JD = """
mutation($input: CreateJobDescriptionInput!) {
  createJobDescription(input: $input) {
    id title company location remote salary requirements preferred warnings
  }
}
"""

TAILOR = """
mutation($input: TailorInput!) {
  tailor(input: $input) { cached job { id status phase progress engine strategy } }
}
"""


JOB_RESULT = """
query($id: ID!) {
  job(id: $id) {
    id status phase progress errorCode attempts
    result {
      plan tailoredSections atsBefore atsAfter diff interviewPrep formData warnings
      tailoredResume { markdown html text }
      coverLetter { markdown html text }
    }
  }
}
"""

JOB_PROGRESS = """
subscription($jobId: ID!, $afterSeq: Int!) {
  jobProgress(jobId: $jobId, afterSeq: $afterSeq) { seq status phase progress errorCode }
}
"""
