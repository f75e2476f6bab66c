// What the JS side of a stream costs, by how a batch of events crosses from the wasm core
// into JavaScript: UTF-8 (what the package does: one `TextDecoder` call a batch), UTF-8
// with every non-ASCII character written as a `\uXXXX` escape (an all-ASCII batch), or
// UTF-16 (decoded by `TextDecoder("utf-16le")`, or by Node's `Buffer`). Each way then
// splits the batch and `JSON.parse`s every event, as `client.js` does. The batches (about
// 16 KiB of event data each, NUL-joined) are made beforehand from each body shape, so only
// the decoding and parsing are timed: the part of a stream no framing work can remove.
// Median of ROUNDS, one Node process, the ways alternating.
// `node crates/wasm/tools/bench-stream-decode.mjs [ROUNDS] [SHAPE…]`
import { SHAPES, body } from "./stream-shapes.mjs";

const rounds = Number(process.argv[2] ?? 9);
const only = process.argv.slice(3);
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const escapeNonAscii = (text) => text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const utf16 = (text) => {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
};

/** The body's event data, in batches of about 16 KiB, NUL-joined. */
async function batches(shape) {
  const reader = (await body(shape, 16384).fetch()).body.getReader();
  const parts = [];
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parts.push(chunk.value);
  const datas = new TextDecoder()
    .decode(Buffer.concat(parts))
    .split(/\r?\n/)
    .filter((line) => line.startsWith("data: "))
    .map((line) => line.slice(6));
  const out = [];
  for (let i = 0, size = 0, batch = []; i <= datas.length; i++) {
    if (i === datas.length || size > 16384) {
      out.push(batch.join("\0"));
      batch = [];
      size = 0;
    }
    if (i < datas.length) {
      batch.push(datas[i]);
      size += datas[i].length;
    }
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf16le = new TextDecoder("utf-16le");
const encoder = new TextEncoder();
const WAYS = {
  "UTF-8 (as now)": { make: (text) => encoder.encode(text), decode: (bytes) => utf8.decode(bytes) },
  "UTF-8, non-ASCII escaped": { make: (text) => encoder.encode(escapeNonAscii(text)), decode: (bytes) => utf8.decode(bytes) },
  "UTF-16, TextDecoder": { make: utf16, decode: (units) => utf16le.decode(units) },
  "UTF-16, Node Buffer": { make: utf16, decode: (units) => Buffer.from(units.buffer, units.byteOffset, units.byteLength).toString("utf16le") },
};

console.log(`| shape | ${Object.keys(WAYS).join(" ms | ")} ms |\n|---|${"---|".repeat(Object.keys(WAYS).length)}`);
for (const shape of Object.keys(SHAPES).filter((s) => !only.length || only.some((o) => s.includes(o)))) {
  const texts = await batches(shape);
  const events = texts.reduce((n, text) => n + text.split("\0").length, 0);
  const inputs = Object.fromEntries(Object.entries(WAYS).map(([name, way]) => [name, texts.map(way.make)]));
  const times = {};
  for (let round = 0; round < rounds; round++) {
    const names = Object.keys(WAYS);
    for (const name of round % 2 ? names.reverse() : names) {
      const started = performance.now();
      let parsed = 0;
      for (const input of inputs[name]) for (const json of WAYS[name].decode(input).split("\0")) if (JSON.parse(json).type) parsed++;
      (times[name] ??= []).push(performance.now() - started);
      if (parsed !== events) throw new Error(`${name}: ${parsed} of ${events} events (${shape})`);
    }
  }
  console.log(`| ${shape} | ${Object.keys(WAYS).map((name) => median(times[name]).toFixed(1)).join(" | ")} |`);
}
