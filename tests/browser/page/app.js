// A single-page app on its own origin using the API the way browsers do: fetch() for
// queries and mutations (JSON and multipart), graphql-ws for progress, fetch() for the PDF.
// The test reads window.__result once window.__done is set.
const params = new URLSearchParams(window.location.search);
const API = params.get("api");
const RESUME = params.get("resume");
const JOB = params.get("job");
let token = null;

function log(line) {
  document.getElementById("log").textContent += line + "\n";
}

async function gql(query, variables) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch(API + "/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function upload(text, filename) {
  const form = new FormData();
  form.append(
    "operations",
    JSON.stringify({
      query:
        "mutation($input: UploadResumeInput!) { uploadResume(input: $input) { id parseStatus } }",
      variables: { input: { file: null, filename } },
    }),
  );
  form.append("map", JSON.stringify({ 0: ["variables.input.file"] }));
  form.append("0", new Blob([text], { type: "text/plain" }), filename);
  const response = await fetch(API + "/graphql", {
    method: "POST",
    // The CSRF preflight header Apollo's upload link sends; the browser preflights it.
    headers: { Authorization: "Bearer " + token, "Apollo-Require-Preflight": "true" },
    body: form,
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.uploadResume;
}

function followJob(jobId) {
  const client = graphqlWs.createClient({
    url: API.replace(/^http/, "ws") + "/graphql",
    connectionParams: { Authorization: "Bearer " + token },
  });
  const phases = [];
  return new Promise((resolve, reject) => {
    client.subscribe(
      {
        query:
          "subscription($jobId: ID!) { jobProgress(jobId: $jobId) { seq status phase progress } }",
        variables: { jobId },
      },
      {
        next: (event) => {
          const e = event.data.jobProgress;
          phases.push(e.status + ":" + e.phase);
          if (e.status === "FAILED" || e.status === "CANCELLED") reject(new Error(e.status));
        },
        error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
        complete: () => {
          client.dispose();
          resolve(phases);
        },
      },
    );
  });
}

async function readyPdfUrl(versionId) {
  // Exports run in the worker: wait for the PDF link to turn READY (condition, no fixed sleep).
  for (;;) {
    const data = await gql(
      "query($id: ID!) { version(id: $id) { downloadLinks { format status url } } }",
      { id: versionId },
    );
    const pdf = data.version.downloadLinks.find((l) => l.format === "PDF");
    if (pdf && pdf.status === "READY") return pdf.url;
    if (pdf && pdf.status === "FAILED") throw new Error("PDF export failed");
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const email = "browser-" + Date.now() + "@example.com";
  const signUp = await gql(
    "mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { accessToken } }",
    { e: email, p: "browser flow password 1" },
  );
  token = signUp.signUp.accessToken;
  log("signed up");
  const resume = await upload(RESUME, "resume.txt");
  log("uploaded " + resume.id + " " + resume.parseStatus);
  const jd = await gql(
    "mutation($input: CreateJobDescriptionInput!) { createJobDescription(input: $input) { id } }",
    { input: { text: JOB } },
  );
  const tailored = await gql(
    "mutation($input: TailorInput!) { tailor(input: $input) { job { id status } } }",
    { input: { resumeId: resume.id, jobDescriptionId: jd.createJobDescription.id } },
  );
  const jobId = tailored.tailor.job.id;
  const phases = await followJob(jobId);
  log("progress " + phases.join(" "));
  const accepted = await gql(
    "mutation($jobId: ID!) { accept(jobId: $jobId, input: {applyAll: true, exportFormats: [PDF]}) { id } }",
    { jobId },
  );
  const url = await readyPdfUrl(accepted.accept.id);
  const download = await fetch(url);
  const bytes = new Uint8Array(await download.arrayBuffer());
  const head = String.fromCharCode(...bytes.slice(0, 5));
  return { phases, status: download.status, size: bytes.length, head, pageOrigin: location.origin };
}

main()
  .then((result) => {
    window.__result = result;
  })
  .catch((err) => {
    window.__result = { error: String(err && err.message ? err.message : err) };
  })
  .finally(() => {
    window.__done = true;
  });
