// The npm package in Deno (npm `deno`) and in workerd (npm `miniflare`), against the
// emulator over loopback.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { startEmulator } from "../sdk/emulator_process.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

test("Deno: a custom tool round trip", async () => {
  const emulator = await startEmulator();
  try {
    const deno = spawn(`${here}/node_modules/.bin/deno`, ["run", "--allow-net=127.0.0.1", `--allow-read=${root}`, `${here}/deno_check.mjs`, emulator.baseUrl], { env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
    let output = "";
    deno.stdout.on("data", (d) => (output += d));
    deno.stderr.on("data", (d) => (output += d));
    const code = await new Promise((resolve) => deno.on("exit", resolve));
    assert.equal(code, 0, output);
    assert.match(output, /deno ok/);
  } finally {
    emulator.stop();
  }
});

test("workerd: a custom tool round trip", async () => {
  const { Miniflare } = await import("miniflare");
  const emulator = await startEmulator();
  const dir = `${here}/.worker`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  cpSync(`${root}/artifacts/npm/outrig`, `${dir}/outrig`, { recursive: true });
  cpSync(`${here}/worker.mjs`, `${dir}/worker.mjs`);
  cpSync(`${here}/roundtrip.mjs`, `${dir}/roundtrip.mjs`);
  const mf = new Miniflare({
    modules: true,
    scriptPath: `${dir}/worker.mjs`,
    modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
    compatibilityDate: "2026-04-01",
    bindings: { BASE_URL: emulator.baseUrl },
  });
  try {
    const response = await mf.dispatchFetch("http://worker/");
    const result = await response.json();
    assert.ok(result.seen.includes("agent.custom_tool_use"), JSON.stringify(result));
    assert.equal(result.report, "Tool results:\nping: pong");
  } finally {
    await mf.dispose();
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
