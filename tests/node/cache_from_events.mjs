// Apollo Client 4 + graphql-ws against a live Tailor API: after one network read of the
// job, the normalised cache follows the job to COMPLETED from subscription events alone.
// Run by tests/integration/test_node_apollo.py; prints one JSON line with what it saw.
//
// Env: TAILOR_HTTP (http://host:port/graphql), TAILOR_WS (ws://host:port/graphql),
//      RESUME_TEXT, JOB_TEXT.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const HTTP = process.env.TAILOR_HTTP;
const WS = process.env.TAILOR_WS;

async function post(query, variables, token) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(HTTP, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

// Set-up over plain HTTP (not through Apollo, so its cache starts empty).
async function queuedJob() {
  const email = `apollo-${Date.now()}-${Math.random().toString(16).slice(2)}@example.com`;
  const signUp = await post(
    "mutation($e: String!) { signUp(email: $e, password: \"apollo client password 1\") { accessToken } }",
    { e: email },
  );
  const token = signUp.signUp.accessToken;
  const resume = await post(
    "mutation($input: UploadResumeInput!) { uploadResume(input: $input) { id } }",
    { input: { text: process.env.RESUME_TEXT } },
    token,
  );
  const jd = await post(
    "mutation($input: CreateJobDescriptionInput!) { createJobDescription(input: $input) { id } }",
    { input: { text: process.env.JOB_TEXT } },
    token,
  );
  const tailored = await post(
    "mutation($input: TailorInput!) { tailor(input: $input) { job { id status } } }",
    { input: { resumeId: resume.uploadResume.id, jobDescriptionId: jd.createJobDescription.id } },
    token,
  );
  return { token, jobId: tailored.tailor.job.id };
}

const JOB = gql`
  query Job($id: ID!) {
    job(id: $id) { id status phase progress }
  }
`;
const PROGRESS = gql`
  subscription Progress($jobId: ID!) {
    jobProgress(jobId: $jobId) { seq job { id status phase progress } }
  }
`;

async function main() {
  const { token, jobId } = await queuedJob();
  const httpOperations = [];
  const countingFetch = (url, init) => {
    httpOperations.push(JSON.parse(init.body).operationName);
    return fetch(url, init);
  };
  const wsClient = createClient({
    url: WS,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
  });
  const link = ApolloLink.split(
    ({ query }) => query.definitions.some((d) => d.operation === "subscription"),
    new GraphQLWsLink(wsClient),
    new HttpLink({ uri: HTTP, headers: { authorization: `Bearer ${token}` }, fetch: countingFetch }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });

  const first = await client.query({ query: JOB, variables: { id: jobId } });
  const seenInCache = [first.data.job.status];
  // Watches the cache only: any change it sees was written by the subscription.
  const watched = client
    .watchQuery({ query: JOB, variables: { id: jobId }, fetchPolicy: "cache-only" })
    .subscribe({
      next: (result) => {
        const status = result.data && result.data.job && result.data.job.status;
        if (status && status !== seenInCache[seenInCache.length - 1]) seenInCache.push(status);
      },
    });

  const events = await new Promise((resolve, reject) => {
    const received = [];
    client.subscribe({ query: PROGRESS, variables: { jobId } }).subscribe({
      next: (result) => {
        if (result.error) reject(result.error);
        else received.push(result.data.jobProgress.job.status);
      },
      error: reject,
      complete: () => resolve(received),
    });
  });
  const cached = client.readQuery({ query: JOB, variables: { id: jobId } });
  watched.unsubscribe();
  await wsClient.dispose();
  console.log(
    JSON.stringify({
      jobId,
      events,
      seenInCache,
      cachedJob: cached.job,
      httpOperations,
    }),
  );
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
