// How fast can any JavaScript client read each body shape? The floor: what every client
// must do for each event no matter how it frames the stream (decode the UTF-8 of its data
// with TextDecoder, then JSON.parse it), timed over the payloads extracted beforehand,
// next to both clients' full public stream paths on the same body, in one process,
// alternating. `SDK / floor` bounds any client's speed-up over the SDK: a client that did
// nothing but decode and parse would be that many times faster, no more.
// `./scripts/build-npm.sh && node crates/wasm/tools/bench-stream-floor.mjs [ROUNDS] [SHAPE…]`
import Anthropic from "@anthropic-ai/sdk";
import { readFileSync } from "node:fs";
import { Outrig } from "../../../artifacts/npm/outrig/node.js";
import { SHAPES, body } from "./stream-shapes.mjs";

const rounds = Number(process.argv[2] ?? 7);
const only = process.argv.slice(3);
const sdkVersion = JSON.parse(readFileSync(new URL("./node_modules/@anthropic-ai/sdk/package.json", import.meta.url))).version;
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

async function count(stream) {
  let n = 0;
  for await (const event of stream) if (event.type) n++;
  return n;
}

/** The data payloads of a body, each as the bytes a client receives. */
async function payloads(fetch) {
  const reader = (await fetch()).body.getReader();
  const parts = [];
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parts.push(chunk.value);
  const text = new TextDecoder().decode(Buffer.concat(parts));
  const encoder = new TextEncoder();
  return text
    .split(/\r\n|\n/)
    .filter((line) => line.startsWith("data: ") && line !== 'data: {"type":"ping"}')
    .map((line) => encoder.encode(line.slice(6)));
}

const decoder = new TextDecoder();
const floor = (datas) => {
  let n = 0;
  for (const data of datas) if (JSON.parse(decoder.decode(data)).type) n++;
  return n;
};

console.log(`| shape | floor (decode + parse) ms | SDK ${sdkVersion} ms | outrig ms | SDK / floor (the most any client can gain) | SDK / outrig |\n|---|---|---|---|---|---|`);
for (const shape of Object.keys(SHAPES).filter((s) => !only.length || only.some((o) => s.includes(o)))) {
  const { events, fetch } = body(shape, 16384);
  const datas = await payloads(fetch);
  const runs = {
    floor: async () => floor(datas),
    outrig: async () => count(await new Outrig({ apiKey: "k", baseURL: "http://bench.test", fetch }).sessions.events.stream("sesn_1")),
    sdk: async () => count(await new Anthropic({ apiKey: "k", baseURL: "http://bench.test", fetch }).beta.sessions.events.stream("sesn_1")),
  };
  const times = { floor: [], outrig: [], sdk: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ["sdk", "outrig", "floor"] : ["floor", "outrig", "sdk"];
    for (const name of order) {
      const started = performance.now();
      const seen = await runs[name]();
      times[name].push(performance.now() - started);
      if (name !== "floor" && seen !== events) throw new Error(`${name} saw ${seen} of ${events} events (${shape})`);
    }
  }
  const [f, s, o] = [median(times.floor), median(times.sdk), median(times.outrig)];
  console.log(`| ${shape} | ${f.toFixed(1)} | ${s.toFixed(1)} | ${o.toFixed(1)} | ${(s / f).toFixed(2)}× | ${(s / o).toFixed(2)}× |`);
}
