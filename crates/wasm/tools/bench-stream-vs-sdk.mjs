// The full public stream path of both clients on the same 100k-event body, alternating in
// one process: `client.sessions.events.stream(id)` of `outrig` against
// `client.beta.sessions.events.stream(id)` of @anthropic-ai/sdk 1.14.0, each over a `fetch`
// that serves the body in chunks of the given size.
// `./scripts/build-npm.sh && node crates/wasm/tools/bench-stream-vs-sdk.mjs [CHUNK_BYTES]`
import { EVENTS, streamingFetch } from "./stream-body.mjs";
import Anthropic from "@anthropic-ai/sdk";
import { Outrig } from "../../../artifacts/npm/outrig/node.js";
const chunkSize = Number(process.argv[2] ?? 16384);
const fetch = streamingFetch(chunkSize);
async function ours() {
  const client = new Outrig({ apiKey: "k", baseURL: "http://bench.test", fetch });
  let n = 0;
  for await (const event of await client.sessions.events.stream("sesn_1")) if (event.type) n++;
  return n;
}
async function sdk() {
  const client = new Anthropic({ apiKey: "k", baseURL: "http://bench.test", fetch });
  let n = 0;
  for await (const event of await client.beta.sessions.events.stream("sesn_1")) if (event.type) n++;
  return n;
}
const times = { outrig: [], sdk: [] };
for (let round = 0; round < 7; round++) {
  // Which runs first alternates: going first or second alone moves a median by ~10 %.
  for (const [name, run] of round % 2 ? [["sdk", sdk], ["outrig", ours]] : [["outrig", ours], ["sdk", sdk]]) {
    const t = performance.now();
    const n = await run();
    times[name].push(performance.now() - t);
    if (n !== EVENTS + 1) throw new Error(`${name} saw ${n}`);
  }
}
for (const [name, list] of Object.entries(times)) {
  list.sort((a, b) => a - b);
  console.log(`${name} (${chunkSize} B chunks): median ${list[3].toFixed(0)} ms, ${Math.round(EVENTS / (list[3] / 1000)).toLocaleString("en")} events/s`);
}
