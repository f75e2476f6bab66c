// Big events of text outside Latin-1 (Cyrillic and CJK, ~100 KB of UTF-8 each, 77 of them)
// through the public stream path, 16 KiB chunks: the built package against
// @anthropic-ai/sdk and, if given, another build of the package. Median of 11 rounds, the
// clients' order turning each round; each must yield every event.
// Not one of stream-shapes.mjs's seven; it checks that such text stays off the escaped way.
// `./scripts/build-npm.sh && node crates/wasm/tools/bench-stream-nonlatin.mjs [OTHER_PKG_DIR]`
import Anthropic from "@anthropic-ai/sdk";
import { Outrig } from "../../../artifacts/npm/outrig/node.js";

const other = process.argv[2] && (await import(`${process.argv[2]}/node.js`)).Outrig;
const alphabet = "привет мир 日本語の文章を書きます。";
const text = (i) => Array.from({ length: 40_000 }, (_, j) => alphabet[(i * 7 + j * 13) % alphabet.length]).join("");
const frames = Array.from({ length: 77 }, (_, i) => JSON.stringify({ type: "agent.message", id: `sevt_${i}`, content: [{ type: "text", text: text(i) }] }));
frames.push('{"type":"session.status_terminated","id":"sevt_end"}');
const bytes = new TextEncoder().encode(frames.map((data) => `event: message\ndata: ${data}\n\n`).join(""));
const fetch = async () => new Response(new ReadableStream({
  start(controller) {
    for (let at = 0; at < bytes.length; at += 16384) controller.enqueue(bytes.slice(at, at + 16384));
    controller.close();
  },
}), { headers: { "content-type": "text/event-stream" } });
const count = async (stream) => {
  let n = 0;
  for await (const event of stream) if (event.type) n++;
  return n;
};
const clients = {
  outrig: () => new Outrig({ apiKey: "k", baseURL: "http://bench.test", fetch }).sessions.events.stream("sesn_1"),
  sdk: () => new Anthropic({ apiKey: "k", baseURL: "http://bench.test", fetch }).beta.sessions.events.stream("sesn_1"),
  ...(other && { other: () => new other({ apiKey: "k", baseURL: "http://bench.test", fetch }).sessions.events.stream("sesn_1") }),
};
const times = Object.fromEntries(Object.keys(clients).map((name) => [name, []]));
const names = Object.keys(clients);
for (let round = 0; round < 11; round++) {
  for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
    const started = performance.now();
    const seen = await count(await clients[name]());
    times[name].push(performance.now() - started);
    if (seen !== frames.length) throw new Error(`${name} saw ${seen} of ${frames.length} events`);
  }
}
const median = (list) => [...list].sort((a, b) => a - b)[5];
for (const [name, list] of Object.entries(times)) console.log(`${name}: ${median(list).toFixed(1)} ms`);
console.log(`outrig / SDK speed: ${(median(times.sdk) / median(times.outrig)).toFixed(2)}×`);
