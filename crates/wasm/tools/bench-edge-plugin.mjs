// A call's cost for a plugin at the edge: the Rust example plugin, transpiled by
// `outrig plugin build --target edge`, answering `echo` through `outrig/plugin` (a fresh
// instance per call, as the native host) in Node and in workerd (miniflare). Node times
// calls in-process; workerd's clock stands still while a request computes, so there a
// request running 200 calls is timed against one running none, from outside.
// `./scripts/build-npm.sh && node crates/wasm/tools/bench-edge-plugin.mjs`
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir, homedir } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));
const dir = mkdtempSync(`${tmpdir()}/outrig-edge-bench-`);
const bin = process.env.OUTRIG_BIN ?? `${process.env.CARGO_TARGET_DIR ?? `${homedir()}/.cache/outrig/target`}/debug/outrig`;
execFileSync(bin, ["plugin", "build", "--target", "edge", `${root}/artifacts/plugins/invoices.wasm`, "--out", `${dir}/invoices`], {
  env: { ...process.env, OUTRIG_JCO: `${here}/node_modules/.bin/jco` },
  stdio: ["ignore", "ignore", "inherit"],
});
cpSync(`${root}/artifacts/npm/outrig`, `${dir}/outrig`, { recursive: true });
const pct = (list, p) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) * p)];
const us = (ms) => `${Math.round(ms * 1000).toLocaleString("en")} µs`;

// Node, in-process.
const { loadPlugin, coreModulesAt } = await import(`${dir}/outrig/plugin.js`);
const { instantiate } = await import(pathToFileURL(`${dir}/invoices/invoices.js`).href);
let started = performance.now();
const plugin = await loadPlugin(instantiate, coreModulesAt(pathToFileURL(`${dir}/invoices/`), readFile));
const loadMs = performance.now() - started;
const input = { hello: "world" };
for (let i = 0; i < 200; i++) await plugin.call("echo", input);
const node = [];
for (let i = 0; i < 2000; i++) {
  started = performance.now();
  const result = await plugin.call("echo", input);
  node.push(performance.now() - started);
  if (result.isError) throw new Error(result.content[0].text);
}

// Deno (a newer V8 than Node 20's), in-process, the same loop.
writeFileSync(`${dir}/deno.mjs`, `import { loadPlugin, coreModulesAt } from "./outrig/plugin.js";
import { instantiate } from "./invoices/invoices.js";
const plugin = await loadPlugin(instantiate, coreModulesAt(new URL("./invoices/", import.meta.url)));
for (let i = 0; i < 200; i++) await plugin.call("echo", { hello: "world" });
const times = [];
for (let i = 0; i < 2000; i++) {
  const t = performance.now();
  const result = await plugin.call("echo", { hello: "world" });
  times.push(performance.now() - t);
  if (result.isError) throw new Error(result.content[0].text);
}
console.log(JSON.stringify({ version: Deno.version.deno, times }));
`);
const denoRun = JSON.parse(execFileSync(`${root}/tests/npm/node_modules/.bin/deno`, ["run", `--allow-read=${dir}`, "--allow-env=JCO_DEBUG", `${dir}/deno.mjs`], { env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } }));

// workerd, from outside: N calls per request, against a request making none.
writeFileSync(`${dir}/worker.mjs`, `import { loadPlugin } from "./outrig/plugin.js";
import { instantiate, getCoreModule } from "./invoices/invoices.workerd.js";
let plugin;
export default {
  async fetch(request) {
    plugin ??= await loadPlugin(instantiate, getCoreModule);
    const n = Number(new URL(request.url).searchParams.get("n"));
    for (let i = 0; i < n; i++) {
      const result = await plugin.call("echo", { hello: "world" });
      if (result.isError) throw new Error(result.content[0].text);
    }
    return new Response(String(n));
  },
};
`);
const { workerIn } = await import(`${root}/tests/npm/workerd.mjs`);
const mf = workerIn(dir, "worker.mjs");
const request = async (n) => {
  const t = performance.now();
  await (await mf.dispatchFetch(`http://worker/?n=${n}`)).text();
  return performance.now() - t;
};
await request(0);
await request(200);
const perCall = [];
for (let round = 0; round < 15; round++) {
  const empty = await request(0);
  const full = await request(200);
  perCall.push((full - empty) / 200);
}
await mf.dispose();

console.log(`plugin loaded (compile, instantiate, describe) in Node in ${loadMs.toFixed(1)} ms`);
console.log("| runner | calls | p50 per call | p99 per call |\n|---|---|---|---|");
console.log(`| Node ${process.version}, \`outrig/plugin\` | ${node.length} | ${us(pct(node, 0.5))} | ${us(pct(node, 0.99))} |`);
console.log(`| Deno ${denoRun.version}, \`outrig/plugin\` | ${denoRun.times.length} | ${us(pct(denoRun.times, 0.5))} | ${us(pct(denoRun.times, 0.99))} |`);
console.log(`| workerd (miniflare), \`outrig/plugin\` | ${perCall.length} × 200 | ${us(pct(perCall, 0.5))} | ${us(pct(perCall, 0.99))} (p99 of the 15 round means) |`);
