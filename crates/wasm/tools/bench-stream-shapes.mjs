// Both clients' full public stream paths on every body shape of stream-shapes.mjs, in one
// process, alternating which runs first: `client.sessions.events.stream(id)` of `outrig`
// against `client.beta.sessions.events.stream(id)` of @anthropic-ai/sdk (the pinned newest
// release), 16 KiB and 1 KiB chunks. Prints events/s of each (median of ROUNDS) and the
// ratio's median and spread, as a Markdown table.
// `./scripts/build-npm.sh && node crates/wasm/tools/bench-stream-shapes.mjs [ROUNDS] [SHAPE…]`
import Anthropic from "@anthropic-ai/sdk";
import { readFileSync } from "node:fs";
import { Outrig } from "../../../artifacts/npm/outrig/node.js";
import { SHAPES, body } from "./stream-shapes.mjs";

const rounds = Number(process.argv[2] ?? 7);
const only = process.argv.slice(3);
const sdkVersion = JSON.parse(readFileSync(new URL("./node_modules/@anthropic-ai/sdk/package.json", import.meta.url))).version;

async function count(stream) {
  let n = 0;
  for await (const event of stream) if (event.type) n++;
  return n;
}
const clients = {
  outrig: async (fetch) => count(await new Outrig({ apiKey: "k", baseURL: "http://bench.test", fetch }).sessions.events.stream("sesn_1")),
  sdk: async (fetch) => count(await new Anthropic({ apiKey: "k", baseURL: "http://bench.test", fetch }).beta.sessions.events.stream("sesn_1")),
};
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const rate = (events, ms) => Math.round(events / (ms / 1000));

console.log(`| shape | chunks | outrig events/s | SDK ${sdkVersion} events/s | ratio (median) | ratio (min–max) |\n|---|---|---|---|---|---|`);
for (const shape of Object.keys(SHAPES).filter((s) => !only.length || only.some((o) => s.includes(o)))) {
  for (const chunkSize of [16384, 1024]) {
    const { events, fetch } = body(shape, chunkSize);
    const times = { outrig: [], sdk: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ["sdk", "outrig"] : ["outrig", "sdk"];
      for (const name of order) {
        const started = performance.now();
        const seen = await clients[name](fetch);
        times[name].push(performance.now() - started);
        // Both yield every event, previews included.
        if (seen !== events) throw new Error(`${name} saw ${seen} of ${events} events (${shape})`);
      }
    }
    const ratios = times.outrig.map((t, i) => times.sdk[i] / t);
    const fmt = (n) => n.toLocaleString("en");
    console.log(`| ${shape} | ${chunkSize / 1024} KiB | ${fmt(rate(events, median(times.outrig)))} | ${fmt(rate(events, median(times.sdk)))} | **${median(ratios).toFixed(2)}×** | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} |`);
  }
}
