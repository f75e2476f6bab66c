// The same plugin at the edge: the Rust example plugin, transpiled by
// `outrig plugin build --target edge` (jco), answers a session's custom tool calls through
// the npm package's `outrig/plugin` runner in Node, Deno, workerd (miniflare) and headless
// Chromium, against the emulator. Each time: its echo call succeeds, its HTTP call is
// refused (the synchronous build has no network), and that build granted `network` is
// refused at load. Then HTTP at the edge: the JSPI builds (`NAME.jspi.js`) call a loopback
// API through `fetch` where the engine has JSPI (Deno, Chromium, and workerd as probed
// here), only as granted; where it has none (Node 20) loading one says so.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { before, test } from "node:test";
import { outrigBinary, startEmulator } from "../sdk/emulator_process.mjs";
import { pluginRoundTrip } from "./plugin-roundtrip.mjs";
import { httpAtTheEdge } from "./plugin-http.mjs";
import { hostileOutcomes } from "./plugin-limits.mjs";
import { startInvoiceApi } from "./invoice-api.mjs";
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
  for (const plugin of ["invoices", "hostile", "hostile-http", "units", "stats"]) {
    execFileSync(outrigBinary(), ["plugin", "build", "--target", "edge", `${root}/artifacts/plugins/${plugin}.wasm`, "--out", `${site}/${plugin}`], {
      env: { ...process.env, OUTRIG_JCO: jco },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  cpSync(`${root}/artifacts/npm/outrig`, `${site}/outrig`, { recursive: true });
  cpSync(`${here}/plugin-roundtrip.mjs`, `${site}/plugin-roundtrip.mjs`);
  cpSync(`${here}/plugin-worker.mjs`, `${site}/plugin-worker.mjs`);
  cpSync(`${here}/plugin-http.mjs`, `${site}/plugin-http.mjs`);
  cpSync(`${here}/plugin-http-worker.mjs`, `${site}/plugin-http-worker.mjs`);
});

/** What HTTP at the edge must look like in an engine with JSPI, against the API at `api`. */
function checkHttp(result, api) {
  assert.equal(result.hasJspi, true);
  const { granted, missing, ungranted, publicOnly, small, big, otherPort, redirect, slow, malformed } = result;
  assert.deepEqual([granted.isError, granted.text.split("\n")[0]], [false, "INV-1 was paid on 2026-11-30."], JSON.stringify(granted));
  assert.ok(granted.logs.includes(`GET ${api}/invoices/INV-1: 200`), JSON.stringify(granted.logs));
  assert.deepEqual([missing.isError, missing.text], [true, "invalid input: no invoice `INV-404`"]);
  const refused = (outcome, code, why) => {
    assert.equal(outcome.isError, true, JSON.stringify(outcome));
    assert.match(outcome.text, code);
    assert.ok(outcome.logs.some((line) => line.includes(why)), JSON.stringify(outcome.logs));
  };
  refused(ungranted, /ErrorCode::HttpRequestDenied$/, "it is not in the plugin's network grant");
  refused(publicOnly, /ErrorCode::DestinationIpProhibited$/, "allow_private is off");
  refused(otherPort, /refused: ErrorCode::HttpRequestDenied$/, "refused an HTTP request to http://127.0.0.1:9");
  assert.deepEqual([small.isError, small.text], [false, `HTTP 200, read 50000 bytes from ${api}/big?bytes=50000`]);
  assert.equal(big.isError, true);
  assert.match(big.text, /body failed after \d+ bytes: the HTTP responses of this call passed the 100000-byte limit$/);
  // Never followed: Deno hands the 302 to the plugin; a browser hides it (an opaque redirect).
  assert.match(redirect.text, /HTTP 302, read 0 bytes|refused: ErrorCode::HttpProtocolError$/, JSON.stringify(redirect));
  assert.deepEqual([slow.isError, slow.text], [true, "the tool was stopped after its 500 ms time limit"]);
  assert.match(malformed, /network grant `127\.0\.0\.1` must look like scheme:\/\/host:port/);
}

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

/** What the hostile plugin's attacks must come to at the edge (plugin-limits.mjs). */
function checkLimits(outcomes) {
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
    const { text, isError } = outcomes[name];
    assert.ok(isError, `${name}: ${text}`);
    assert.match(text, expected, name);
  }
  const flood = outcomes.log_flood;
  assert.equal(flood.text, "logged");
  assert.ok(flood.logs.length <= 65, `${flood.logs.length} log lines kept`);
  assert.match(flood.logs.at(-1), /^\d+ log lines dropped over the log limits$/);
  assert.match(outcomes.panic.logs.join("\n"), /panicked on purpose/, "stderr is kept as logs");
  assert.match(outcomes.wait_cancel.text, /^tool failed: stopped: the call was cancelled$/);
  assert.equal(outcomes.ok.text, "fine");
  assert.equal(outcomes.after_traps.text, "fine", "a trapped call does not poison the next");
  assert.match(outcomes.remember_first.text, /^previous: ``/);
  assert.equal(outcomes.remember_second.text, outcomes.remember_first.text, "a fresh instance per call: nothing of the last call is left");
}

test("Node: the edge runner's limits hold against the hostile plugin", async () => {
  const { loadPlugin, coreModulesAt } = await import("outrig/plugin");
  const { readFile } = await import("node:fs/promises");
  const { instantiate } = await import(pathToFileURL(`${site}/hostile/hostile.js`).href);
  checkLimits(await hostileOutcomes({ loadPlugin, instantiate, getCoreModule: coreModulesAt(pathToFileURL(`${site}/hostile/`), readFile) }));
});

test("Deno: the same limits hold for the hostile plugin's JSPI build, whose waits suspend", async () => {
  checkLimits(JSON.parse(await deno("deno_plugin_limits.mjs", pathToFileURL(`${site}/hostile/`).href)));
});

test("Deno: a JSPI build's HTTP goes out through fetch, only as granted", async () => {
  const api = await startInvoiceApi();
  try {
    checkHttp(JSON.parse(await deno("deno_plugin_http.mjs", api.url, pathToFileURL(`${site}/`).href)), api.url);
  } finally {
    api.close();
  }
});

test("Chromium: a JSPI build's HTTP goes out through fetch from a page, only as granted", async () => {
  const { chromium } = await import("playwright-core");
  const emulator = await startEmulator("--www", site);
  const api = await startInvoiceApi();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${emulator.baseUrl}/plugin-http.mjs`);
    const result = await page.evaluate(
      async ({ baseURL, api }) => {
        const { loadPlugin, coreModulesAt, hasJspi } = await import(`${baseURL}/outrig/plugin.js`);
        const { httpAtTheEdge } = await import(`${baseURL}/plugin-http.mjs`);
        const build = async (name) => ({ instantiate: (await import(`${baseURL}/${name}/${name}.jspi.js`)).instantiate, getCoreModule: coreModulesAt(`${baseURL}/${name}/`) });
        return httpAtTheEdge({ loadPlugin, hasJspi, invoices: await build("invoices"), hostile: await build("hostile-http"), api });
      },
      { baseURL: emulator.baseUrl, api: api.url },
    );
    checkHttp(result, api.url);
  } finally {
    await browser.close();
    api.close();
    emulator.stop();
  }
});

test("workerd: JSPI is there (probed), so a JSPI build's HTTP goes out through fetch, only as granted", async () => {
  const api = await startInvoiceApi();
  const mf = workerIn(site, "plugin-http-worker.mjs", { API: api.url });
  try {
    const response = await mf.dispatchFetch("http://worker/");
    const text = await response.text();
    assert.equal(response.status, 200, text);
    // The probe, recorded: workerd (miniflare 4.20260426.0) has WebAssembly.Suspending.
    checkHttp(JSON.parse(text), api.url);
  } finally {
    await mf.dispose();
    api.close();
  }
});

test("Node 20: no JSPI, so a JSPI build is refused at load and the synchronous one keeps refusing HTTP", async () => {
  const { loadPlugin, coreModulesAt, hasJspi } = await import("outrig/plugin");
  const { readFile } = await import("node:fs/promises");
  const build = async (name, glue) => ({ instantiate: (await import(pathToFileURL(`${site}/${name}/${glue}`).href)).instantiate, getCoreModule: coreModulesAt(pathToFileURL(`${site}/${name}/`), readFile) });
  const api = await startInvoiceApi();
  try {
    const result = await httpAtTheEdge({ loadPlugin, hasJspi, invoices: await build("invoices", "invoices.jspi.js"), hostile: await build("hostile-http", "hostile-http.jspi.js"), api: api.url });
    assert.deepEqual(result.hasJspi, false, "Node 20 has no JSPI");
    assert.match(result.refused, /^this is a JSPI build \(NAME\.jspi\.js\), and this engine has no JSPI/);
    const sync = await build("hostile-http", "hostile-http.js");
    await assert.rejects(loadPlugin(sync.instantiate, sync.getCoreModule, { grants: { network: [api.url] } }), /granted `network`, which the edge cannot enforce: .*load the JSPI build/);
    const plugin = await loadPlugin(sync.instantiate, sync.getCoreModule);
    const { content, isError, logs } = await plugin.call("fetch", { url: `${api.url}/big?bytes=10` });
    assert.deepEqual([isError, content[0].text], [true, `tool failed: ${api.url}/big?bytes=10: refused: ErrorCode::HttpRequestDenied`]);
    assert.match(logs.map((l) => l.message).join("\n"), /this build cannot make requests/);
  } finally {
    api.close();
  }
});
