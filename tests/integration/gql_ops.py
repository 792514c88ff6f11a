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
      plan { engine fit score summary strengths { label } gaps { label importance }
             nextSteps { kind text } }
      tailoredSections { section kind heading lines { text role sourceLineIds } }
      atsBefore { score fit missing keywordsMatched }
      atsAfter { score fit missing keywordsMatched }
      diff { section kind change before after }
      interviewPrep { questions { question category } }
      formData { name email skills workHistory { employer title } }
      warnings { code message section }
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
