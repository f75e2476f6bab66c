// `outrig/bedrock` against `outrig emulator --platform bedrock`, in Node, Deno (the web
// entry) and workerd (miniflare): every request (the stream included) signed with SigV4 and verified by the
// emulator, the managed-agents beta on all of them, a custom tool round trip, the endpoints
// Bedrock does not serve refused before sending, a Bedrock API key instead of signing.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { startEmulator } from "../sdk/emulator_process.mjs";
import { workerIn } from "./workerd.mjs";
import { OutrigBedrock, NotOnBedrockError, PermissionDeniedError } from "outrig/bedrock";
import { bedrockRoundTrip } from "./bedrock-roundtrip.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const REGION = "us-west-2";
const KEY_ID = "AKIDOUTRIGNPM";
const SECRET = "outrig-npm-test-secret";
const BETA = "managed-agents-2026-04-01";

const bedrockEmulator = () => startEmulator("--platform", "bedrock", "--region", REGION, "--aws-key", `${KEY_ID}:${SECRET}`);

const signedHeaderNames = (authorization) => /SignedHeaders=([^,]+)/.exec(authorization)[1].split(";");

/** What every round trip shows, however it authenticated. */
function checkRoundTrip(result, baseUrl) {
  const types = result.streamed.map((event) => event.type);
  assert.ok(types.includes("agent.custom_tool_use"), types.join(" "));
  assert.equal(types.at(-1), "session.status_idle");
  assert.deepEqual(result.history.map((event) => event.id), result.streamed.map((event) => event.id));
  assert.equal(result.session.working_directory, "/mnt/workspace");
  assert.match(result.store.id, /^memstore_/);
  assert.equal(result.sentForRefusals, 0, "refused before sending");
  assert.equal(result.refusals.length, 3);
  for (const refusal of result.refusals) assert.match(refusal, /is not served on Amazon Bedrock/);
  assert.match(result.refusals[0], /environments\.create/);
  for (const request of result.sent) {
    assert.ok(request.url.startsWith(`${baseUrl}/anthropic/v1/`), request.url);
    assert.equal(request.headers["anthropic-beta"], BETA, `${request.method} ${request.url}`);
    assert.equal(request.headers["x-api-key"], undefined);
    assert.equal(request.headers["anthropic-workspace-id"], undefined);
  }
  assert.ok(result.sent.some((r) => r.url.includes("/events/stream")), "the stream went through the same path");
  assert.ok(result.sent.some((r) => r.url.endsWith("/v1/memory_stores")), "memory stores take the same beta");
}

test("Node: SigV4-signed requests, the stream included, through a custom tool round trip", async () => {
  const emulator = await bedrockEmulator();
  const before = process.env.ANTHROPIC_API_KEY;
  process.env.ANTHROPIC_API_KEY = "sk-ant-first-party-key-must-not-travel";
  try {
    const credentials = { accessKeyId: KEY_ID, secretAccessKey: SECRET };
    const result = await bedrockRoundTrip(OutrigBedrock, NotOnBedrockError, { region: REGION, baseURL: `${emulator.baseUrl}/anthropic`, credentials });
    checkRoundTrip(result, emulator.baseUrl);
    for (const { headers } of result.sent) {
      assert.match(headers.authorization, new RegExp(`^AWS4-HMAC-SHA256 Credential=${KEY_ID}/\\d{8}/${REGION}/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`));
      const signedHeaders = signedHeaderNames(headers.authorization);
      for (const name of ["host", "x-amz-date", "anthropic-beta", "anthropic-version"]) assert.ok(signedHeaders.includes(name), `${name} signed`);
      assert.match(headers["x-amz-date"], /^\d{8}T\d{6}Z$/);
      assert.ok(!JSON.stringify(headers).includes(SECRET) && !JSON.stringify(headers).includes("sk-ant-"), "no secret, no first-party key");
    }
  } finally {
    if (before === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = before;
    emulator.stop();
  }
});

test("Node: temporary credentials from a function sign the session token; a wrong secret is refused", async () => {
  const emulator = await bedrockEmulator();
  try {
    const baseURL = `${emulator.baseUrl}/anthropic`;
    let asked = 0;
    const sent = [];
    const client = new OutrigBedrock({
      region: REGION,
      baseURL,
      credentials: async () => ({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: `token-${++asked}` }),
      fetch: (url, init) => (sent.push(init.headers), fetch(url, init)),
    });
    const page = await client.agents.list();
    assert.deepEqual(page.data, []);
    assert.equal(asked, 1, "asked once per request");
    assert.equal(sent[0]["x-amz-security-token"], "token-1");
    assert.ok(signedHeaderNames(sent[0].authorization).includes("x-amz-security-token"));

    const wrong = new OutrigBedrock({ region: REGION, baseURL, maxRetries: 0, credentials: { accessKeyId: KEY_ID, secretAccessKey: "another-secret" } });
    const refused = await wrong.agents.list().then(() => undefined, (error) => error);
    assert.ok(refused instanceof PermissionDeniedError, String(refused));
    assert.equal(refused.status, 403);
    assert.match(refused.message, /does not match/);
    assert.ok(!refused.message.includes("another-secret"));
  } finally {
    emulator.stop();
  }
});

test("Node: a Bedrock API key instead of signing", async () => {
  const emulator = await bedrockEmulator();
  try {
    const result = await bedrockRoundTrip(OutrigBedrock, NotOnBedrockError, { region: REGION, baseURL: `${emulator.baseUrl}/anthropic`, apiKey: "bedrock-api-key-for-tests" });
    checkRoundTrip(result, emulator.baseUrl);
    for (const { headers } of result.sent) {
      assert.equal(headers.authorization, "Bearer bedrock-api-key-for-tests");
      assert.equal(headers["x-amz-date"], undefined);
    }
  } finally {
    emulator.stop();
  }
});

test("Node: options Bedrock cannot take are refused at construction, saying why", () => {
  const credentials = { accessKeyId: KEY_ID, secretAccessKey: SECRET };
  assert.throws(() => new OutrigBedrock({ credentials }), /needs a `region`/);
  assert.throws(() => new OutrigBedrock({ region: REGION }), /needs AWS `credentials`/);
  assert.throws(() => new OutrigBedrock({ region: REGION, credentials, apiKey: "k" }), /not both/);
  assert.throws(() => new OutrigBedrock({ region: REGION, credentials, workspaceId: "w" }), /no workspaces/);
  assert.equal(new OutrigBedrock({ region: "eu-central-1", credentials }).baseURL, "https://bedrock.eu-central-1.amazonaws.com/anthropic");
});

test("Deno: the same signed round trip from the web entry, its Bedrock module fetched by URL", async () => {
  const emulator = await bedrockEmulator();
  try {
    const args = ["run", "--allow-net=127.0.0.1", `--allow-read=${root}`, `${here}/deno_bedrock.mjs`, `${emulator.baseUrl}/anthropic`, REGION, KEY_ID, SECRET];
    const deno = spawn(`${here}/node_modules/.bin/deno`, args, { env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
    let [stdout, stderr] = ["", ""];
    deno.stdout.on("data", (d) => (stdout += d));
    deno.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise((resolve) => deno.on("exit", resolve));
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout);
    checkRoundTrip(result, emulator.baseUrl);
    for (const { headers } of result.sent) assert.match(headers.authorization, /^AWS4-HMAC-SHA256 Credential=/);
  } finally {
    emulator.stop();
  }
});

test("workerd: the same signed round trip from `outrig/bedrock`'s workerd entry", async () => {
  const emulator = await bedrockEmulator();
  const dir = `${here}/.bedrock-worker`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  cpSync(`${root}/artifacts/npm/outrig`, `${dir}/outrig`, { recursive: true });
  for (const file of ["bedrock-worker.mjs", "bedrock-roundtrip.mjs"]) cpSync(`${here}/${file}`, `${dir}/${file}`);
  const mf = workerIn(dir, "bedrock-worker.mjs", { BASE_URL: `${emulator.baseUrl}/anthropic`, REGION, KEY_ID, SECRET });
  try {
    const response = await mf.dispatchFetch("http://worker/");
    const result = await response.json();
    assert.equal(response.status, 200, JSON.stringify(result));
    checkRoundTrip(result, emulator.baseUrl);
    for (const { headers } of result.sent) assert.match(headers.authorization, /^AWS4-HMAC-SHA256 Credential=/);
  } finally {
    await mf.dispose();
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
