// What strings cost V8 on the 100 KB JSON and non-ASCII shapes of stream-shapes.mjs,
// measured alone (Node 20, best of 9, ms for each body's events): making UTF-16 strings
// whole or in 60 KB pieces (V8's large-object threshold lies between), make + `JSON.parse`
// as UTF-16 (whole, or in pieces joined) or as Latin-1 with every other character written
// `\uXXXX`, and cutting a batch of UTF-16 text at its NULs or at known ends.
// `node crates/wasm/tools/bench-big-strings.mjs`
import { SHAPES, body } from "./stream-shapes.mjs";

const time = (work) => {
  let best = Infinity;
  for (let round = 0; round < 9; round++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best.toFixed(1);
};
const PIECE = 60_000;
const pieces = (buffer) => {
  let text = "";
  for (let at = 0; at < buffer.length; at += PIECE) text += buffer.toString("utf16le", at, Math.min(buffer.length, at + PIECE));
  return text;
};
const escape = (text) => text.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

for (const part of ["100 KB", "non-ASCII"]) {
  const shape = Object.keys(SHAPES).find((name) => name.includes(part));
  const text = await (await body(shape, 1 << 24).fetch()).text();
  const events = text.split("\n").filter((line) => line.startsWith("data: ")).map((line) => line.slice(6));
  const wide = events.map((event) => Buffer.from(event, "utf16le"));
  const latin1 = events.map((event) => Buffer.from(escape(event), "latin1"));
  console.log(`${shape}: ${events.length} events, ${wide.reduce((sum, b) => sum + b.length, 0)} bytes as UTF-16`);
  console.log(`  make, whole: ${time(() => wide.forEach((b) => b.toString("utf16le")))}; in 60 KB pieces: ${time(() => wide.forEach(pieces))}`);
  console.log(`  make + JSON.parse, UTF-16 whole: ${time(() => wide.forEach((b) => JSON.parse(b.toString("utf16le"))))}; in pieces: ${time(() => wide.forEach((b) => JSON.parse(pieces(b))))}; Latin-1 + \\uXXXX: ${time(() => latin1.forEach((b) => JSON.parse(b.toString("latin1"))))}`);
  // Batches of ~16 KiB of events (or one big event), flat, as read from the wasm memory.
  const batches = [];
  for (let at = 0; at < events.length; ) {
    const batch = [];
    for (let size = 0; at < events.length && (size === 0 || size + events[at].length < 16_384); at++) {
      batch.push("event", events[at]);
      size += events[at].length;
    }
    batches.push(Buffer.from(batch.join("\0"), "utf16le").toString("utf16le"));
  }
  const ends = batches.map((batch) => {
    const found = [];
    for (let at = batch.indexOf("\0"); at >= 0; at = batch.indexOf("\0", at + 1)) found.push(at);
    return [...found, batch.length];
  });
  const cut = (batch, k) => {
    let start = 0;
    for (const end of ends[k]) {
      batch.substring(start, end);
      start = end + 1;
    }
  };
  console.log(`  cut ${batches.length} batches, split("\\0"): ${time(() => batches.forEach((b) => b.split("\0")))}; substring at known ends: ${time(() => batches.forEach(cut))}`);
}
