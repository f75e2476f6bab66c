// Runs outrig-client's wasm32 tests (crates/client/tests/wasm.rs) with wasm-bindgen-test in
// Node, Deno and headless Chromium (a page and a dedicated worker), against an emulator and
// the npm package's auth proxy (createProxy) started here; their URLs are compiled in.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createProxy } from "outrig";
import { startEmulator } from "../sdk/emulator_process.mjs";
import { serveHandler } from "./node_adapter.mjs";

const KEY = "sk-wasm";
const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("./node_modules/.bin", import.meta.url));
const emulator = await startEmulator("--api-key", KEY);
const proxy = await serveHandler(createProxy({
  apiKey: KEY,
  baseURL: emulator.baseUrl,
  authorize: (request) => new URL(request.url).searchParams.get("token") === "viewer",
  // The wasm tests' pages are served from another origin.
  allowedOrigins: ["*"],
}));

// Deno through deno-shim/: wasm-bindgen-test-runner 0.2.130's Deno mode uses `window`,
// which Deno 2 removed.
const chromedriver = process.env.CHROMEDRIVER ?? "/usr/bin/chromedriver";
const runtimes = [
  ["Node", {}],
  ["Deno", { WASM_BINDGEN_USE_DENO: "1" }, fileURLToPath(new URL("./deno-shim", import.meta.url))],
  ["headless Chromium (a page)", { WASM_BINDGEN_USE_BROWSER: "1", CHROMEDRIVER: chromedriver }],
  ["headless Chromium (a dedicated worker)", { WASM_BINDGEN_USE_DEDICATED_WORKER: "1", CHROMEDRIVER: chromedriver }],
];
let failed = [];
try {
  for (const [name, env, pathFirst] of runtimes) {
    console.log(`\n--- outrig-client (wasm32) in ${name}`);
    // Asynchronously: this process serves the proxy the tests connect to.
    const run = spawn("cargo", ["test", "-p", "outrig-client", "--target", "wasm32-unknown-unknown", "--test", "wasm"], {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        ...env,
        PATH: [pathFirst, bin, process.env.PATH].filter(Boolean).join(":"),
        DENO_NO_UPDATE_CHECK: "1",
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: "wasm-bindgen-test-runner",
        WASM_BINDGEN_TEST_TIMEOUT: "120",
        OUTRIG_WASM_EMULATOR: emulator.baseUrl,
        OUTRIG_WASM_PROXY: `http://127.0.0.1:${proxy.address().port}`,
      },
    });
    const status = await new Promise((resolve) => run.on("exit", resolve));
    if (status !== 0) failed.push(name);
  }
} finally {
  proxy.closeAllConnections();
  proxy.close();
  emulator.stop();
}
if (failed.length) console.error(`outrig-client (wasm32) failed in: ${failed.join(", ")}`);
// Exit now: the proxy's upstream streams would keep retrying the stopped emulator.
process.exit(failed.length ? 1 : 0);
