// The same plugin at the edge: the Rust example plugin, transpiled by
// `outrig plugin build --target edge` (jco), answers a session's custom tool calls through
// the npm package's `outrig/plugin` runner in Node, Deno, workerd (miniflare) and headless
// Chromium, against the emulator. Each time: its echo call succeeds, its HTTP call is
// refused (no network at the edge), and a plugin granted `network` is refused at load.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { before, test } from "node:test";
import { outrigBinary, startEmulator } from "../sdk/emulator_process.mjs";
import { pluginRoundTrip } from "./plugin-roundtrip.mjs";
import { workerIn } from "./workerd.mjs";

/** Runs a Deno script with read access to the repository; resolves to its stdout. */
async function deno(script, ...args) {
  const child = spawn(`${here}/node_modules/.bin/deno`, ["run", "--allow-net=127.0.0.1", `--allow-read=${root}`, "--allow-env=JCO_DEBUG", `${here}/${script}`, ...args], { env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
  let output = "";
  let errors = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (errors += d));
  const code = await new Promise((resolve) => child.on("exit", resolve));
  assert.equal(code, 0, errors);
  return output;
}

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const site = `${here}/.edge-plugin`;
const built = `${site}/invoices`;
const jco = `${root}/crates/wasm/tools/node_modules/.bin/jco`;

before(() => {
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site);
  // Each example plugin (and the hostile one) transpiled into site/NAME.
  for (const plugin of ["invoices", "hostile", "units", "stats"]) {
    execFileSync(outrigBinary(), ["plugin", "build", "--target", "edge", `${root}/artifacts/plugins/${plugin}.wasm`, "--out", `${site}/${plugin}`], {
      env: { ...process.env, OUTRIG_JCO: jco },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  cpSync(`${root}/artifacts/npm/outrig`, `${site}/outrig`, { recursive: true });
  cpSync(`${here}/plugin-roundtrip.mjs`, `${site}/plugin-roundtrip.mjs`);
  cpSync(`${here}/plugin-worker.mjs`, `${site}/plugin-worker.mjs`);
});

function check(result) {
  assert.deepEqual(result.tools, ["reconcile_invoices", "invoice_status", "echo"]);
  assert.deepEqual(result.calls, ["echo:false", "invoice_status:true"]);
  assert.equal(result.stopReason, "end_turn");
  assert.match(result.report, /^Tool results:\n/);
  assert.match(result.report, /\necho: \{"from":"the edge"\}(\n|$)/);
  assert.match(result.report, /\ninvoice_status failed: tool failed: GET http:\/\/127\.0\.0\.1:9\/invoices\/INV-1: ErrorCode::HttpRequestDenied(\n|$)/);
  assert.match(result.refused, /granted `network`, which the edge cannot enforce/);
}

test("Node: the transpiled plugin answers the session's calls", async () => {
  const emulator = await startEmulator();
  try {
    const { Outrig } = await import("outrig");
    const { loadPlugin, coreModulesAt } = await import("outrig/plugin");
    const { readFile } = await import("node:fs/promises");
    const { instantiate } = await import(pathToFileURL(`${built}/invoices.js`).href);
    const getCoreModule = coreModulesAt(pathToFileURL(`${built}/`), readFile);
    check(await pluginRoundTrip({ Outrig, loadPlugin, instantiate, getCoreModule, baseURL: emulator.baseUrl }));
  } finally {
    emulator.stop();
  }
});

test("Deno: the transpiled plugin answers the session's calls", async () => {
  const emulator = await startEmulator();
  try {
    check(JSON.parse(await deno("deno_plugin.mjs", emulator.baseUrl, pathToFileURL(`${built}/`).href)));
  } finally {
    emulator.stop();
  }
});

test("Deno: the JavaScript and Python example plugins run at the edge too", async () => {
  const { js, py } = JSON.parse(await deno("deno_plugin_languages.mjs", pathToFileURL(`${site}/`).href));
  assert.deepEqual([js.isError, js.content[0].text], [false, "100 F = 37.777778 C"]);
  assert.equal(py.isError, false, JSON.stringify(py));
  const stats = JSON.parse(py.content[1].text);
  assert.deepEqual([stats.count, stats.median, stats.max], [8, 3.5, 9]);
});

test("workerd: the transpiled plugin answers the session's calls", async () => {
  const emulator = await startEmulator();
  const mf = workerIn(site, "plugin-worker.mjs", { BASE_URL: emulator.baseUrl });
  try {
    const response = await mf.dispatchFetch("http://worker/");
    const text = await response.text();
    assert.equal(response.status, 200, text);
    check(JSON.parse(text));
  } finally {
    await mf.dispose();
    emulator.stop();
  }
});

test("Chromium: the transpiled plugin answers the session's calls from a page", async () => {
  const { chromium } = await import("playwright-core");
  const emulator = await startEmulator("--www", site);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(`${emulator.baseUrl}/plugin-roundtrip.mjs`);
    const result = await page.evaluate(async (baseURL) => {
      const { Outrig } = await import(`${baseURL}/outrig/web.js`);
      const { loadPlugin, coreModulesAt } = await import(`${baseURL}/outrig/plugin.js`);
      const { instantiate } = await import(`${baseURL}/invoices/invoices.js`);
      const { pluginRoundTrip } = await import(`${baseURL}/plugin-roundtrip.mjs`);
      return pluginRoundTrip({ Outrig, loadPlugin, instantiate, getCoreModule: coreModulesAt(`${baseURL}/invoices/`), baseURL });
    }, emulator.baseUrl);
    check(result);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    emulator.stop();
  }
});

test("Node: the edge runner's limits hold against the hostile plugin", async () => {
  const { loadPlugin, coreModulesAt } = await import("outrig/plugin");
  const { readFile } = await import("node:fs/promises");
  const { instantiate } = await import(pathToFileURL(`${site}/hostile/hostile.js`).href);
  const getCoreModule = coreModulesAt(pathToFileURL(`${site}/hostile/`), readFile);
  // Calls that never end on their own get a short limit; the rest the default 30 s, so
  // how fast this machine is decides nothing.
  const plugin = await loadPlugin(instantiate, getCoreModule);
  const endless = await loadPlugin(instantiate, getCoreModule, { limits: { timeout_ms: 300 } });
  const outcome = async (name, input = {}, options) => {
    const runner = ["sleep", "log_empty_flood"].includes(name) ? endless : plugin;
    const { content, isError, logs } = await runner.call(name, input, options);
    return { text: content.map((c) => c.text).join(""), isError, logs };
  };
  const refused = [
    ["read_passwd", /^tool failed: cannot read \/etc\/passwd/],
    ["read_env", /^tool failed: no SECRET_TOKEN/],
    ["connect", /sockets are not available to plugins at the edge|^tool failed: cannot connect/],
    ["read_stdin", /^tool failed: stdin ended after 0 bytes$/],
    ["sleep", /^the tool was stopped after its 300 ms time limit$/],
    ["log_empty_flood", /^the tool was stopped after its 300 ms time limit$/],
    ["confetti", /^the tool returned 1000000 content blocks, over the 100-block output limit$/],
    ["flood", /^the tool returned 104857600 bytes, over the 1048576-byte output limit$/],
    ["panic", /^the tool crashed/],
  ];
  for (const [name, expected] of refused) {
    const { text, isError } = await outcome(name);
    assert.ok(isError, `${name}: ${text}`);
    assert.match(text, expected, name);
  }
  const flood = await outcome("log_flood");
  assert.equal(flood.text, "logged");
  assert.ok(flood.logs.length <= 65, `${flood.logs.length} log lines kept`);
  assert.match(flood.logs.at(-1).message, /^\d+ log lines dropped over the log limits$/);
  assert.match((await outcome("panic")).logs.map((l) => l.message).join("\n"), /panicked on purpose/, "stderr is kept as logs");
  const cancel = new AbortController();
  cancel.abort();
  assert.match((await outcome("wait_cancel", {}, { signal: cancel.signal })).text, /^tool failed: stopped: the call was cancelled$/);
  assert.equal((await outcome("ok")).text, "fine", "a trapped call does not poison the next");
  const first = await outcome("remember", { secret: "s3cret-1" });
  const second = await outcome("remember", { secret: "s3cret-2" });
  assert.match(first.text, /^previous: ``/);
  assert.equal(second.text, first.text, "a fresh instance per call: nothing of the last call is left");
});
