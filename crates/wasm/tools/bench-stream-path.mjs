// The full public stream path (`client.sessions.events.stream(id)` over a `fetch` that
// serves a 100k-event body in 16 KiB chunks, or CHUNK_BYTES) of two builds of the npm
// package, alternating in one process:
// `[ROUNDS=7] node crates/wasm/tools/bench-stream-path.mjs OLD_PKG_DIR NEW_PKG_DIR [CHUNK_BYTES] [SHAPE]`
// (each a `scripts/build-npm.sh` output, e.g. of two commits; SHAPE: part of the name of a
// body shape of stream-shapes.mjs instead of the 100k-event mix).
import { EVENTS as MIX_EVENTS, streamingFetch } from "./stream-body.mjs";
import { SHAPES, body } from "./stream-shapes.mjs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
const load = (dir) => import(pathToFileURL(resolve(dir, "node.js")).href);
const [{ Outrig: Old }, { Outrig: New }] = await Promise.all(process.argv.slice(2, 4).map(load));
const chunkSize = Number(process.argv[4] ?? 16384);
const shape = process.argv[5] && Object.keys(SHAPES).find((name) => name.includes(process.argv[5]));
const shaped = shape && body(shape, chunkSize);
const fetch = shaped ? shaped.fetch : streamingFetch(chunkSize);
const EVENTS = shaped ? shaped.events - 1 : MIX_EVENTS;
async function run(Client) {
  const client = new Client({ apiKey: "k", baseURL: "http://bench.test", fetch });
  let count = 0;
  for await (const event of await client.sessions.events.stream("sesn_1")) if (event.type) count++;
  if (count !== EVENTS + 1) throw new Error(`saw ${count}`);
}
const times = { old: [], new: [] };
const rounds = Number(process.env.ROUNDS ?? 7);
for (let round = 0; round < rounds; round++) {
  // Which runs first alternates: going first or second alone moves a median by ~10 %.
  for (const [name, Client] of round % 2 ? [["new", New], ["old", Old]] : [["old", Old], ["new", New]]) {
    const t = performance.now();
    await run(Client);
    times[name].push(performance.now() - t);
  }
}
for (const [name, list] of Object.entries(times)) {
  list.sort((a, b) => a - b);
  const median = list[Math.floor(list.length / 2)];
  console.log(`${name}: median ${median.toFixed(0)} ms, ${Math.round(EVENTS / (median / 1000)).toLocaleString("en")} events/s`);
}
