// The README's snippets are these files, verbatim, and they run.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { outrigBinary, startEmulator } from "../sdk/emulator_process.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(`${root}/README.md`, "utf8");

function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, detached: true });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

for (const file of ["npm-example.mjs", "bedrock-example.mjs", "edge-example.mjs", "rust-example.rs", "outrig-host.toml", "cli.sh"]) {
  test(`README quotes tests/readme/${file} verbatim`, () => {
    const text = readFileSync(`${root}/tests/readme/${file}`, "utf8");
    assert.ok(readme.includes(`<!-- snippet: tests/readme/${file} -->\n\`\`\`${{ mjs: "js", rs: "rust", toml: "toml", sh: "sh" }[file.split(".").pop()]}\n${text}\`\`\``), `README must quote ${file}`);
  });
}

test("the npm snippet runs against the emulator", async () => {
  const emulator = await startEmulator();
  const copy = `${root}/tests/npm/.readme-example.mjs`;
  writeFileSync(copy, readFileSync(`${root}/tests/readme/npm-example.mjs`));
  try {
    const { code, output } = await run("node", [copy], { env: { ...process.env, OUTRIG_BASE_URL: emulator.baseUrl } });
    assert.equal(code, 0, output);
    assert.match(output, /agent\.custom_tool_use[\s\S]*user\.custom_tool_result[\s\S]*session\.status_idle\s*$/);
  } finally {
    rmSync(copy);
    emulator.stop();
  }
});

test("the Bedrock snippet runs against the emulator as Bedrock", async () => {
  const secret = "readme-bedrock-secret";
  const emulator = await startEmulator("--platform", "bedrock", "--region", "us-east-1", "--aws-key", `AKIDEXAMPLE:${secret}`);
  const copy = `${root}/tests/npm/.readme-bedrock-example.mjs`;
  writeFileSync(copy, readFileSync(`${root}/tests/readme/bedrock-example.mjs`));
  try {
    const env = { ...process.env, OUTRIG_BEDROCK_URL: `${emulator.baseUrl}/anthropic`, AWS_SECRET_ACCESS_KEY: secret };
    const { code, output } = await run("node", [copy], { env });
    assert.equal(code, 0, output);
    assert.match(output, /^\/mnt\/workspace\n`environments\.create` \(`POST \/v1\/environments`\) is not served on Amazon Bedrock/);
  } finally {
    rmSync(copy);
    emulator.stop();
  }
});

test("the edge snippet runs in a new plugin project against the emulator", async () => {
  const emulator = await startEmulator();
  const dir = mkdtempSync(`${tmpdir()}/outrig-readme-edge-`);
  try {
    const env = { ...process.env, OUTRIG_JCO: `${root}/crates/wasm/tools/node_modules/.bin/jco` };
    for (const args of [["plugin", "new", "hello", "--lang", "rust"], ["plugin", "build", "--target", "edge"]]) {
      const { code, output } = await run(outrigBinary(), args, { cwd: args[1] === "new" ? dir : `${dir}/hello`, env });
      assert.equal(code, 0, output);
    }
    // The project's own copy of the package, as `npm install outrig` would give it.
    cpSync(`${root}/tests/npm/node_modules/outrig`, `${dir}/hello/node_modules/outrig`, { recursive: true, dereference: true });
    writeFileSync(`${dir}/hello/example.mjs`, readFileSync(`${root}/tests/readme/edge-example.mjs`));
    const { code, output } = await run("node", [`${dir}/hello/example.mjs`], { env: { ...process.env, OUTRIG_BASE_URL: emulator.baseUrl } });
    assert.equal(code, 0, output);
    assert.match(output, /^1 call answered: Tool results:\ngreet: Hello, Ada!\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    emulator.stop();
  }
});

test("the Rust snippet runs against the emulator", async () => {
  const emulator = await startEmulator();
  try {
    // `cargo test` built the example (crates/client/Cargo.toml names this file).
    const example = `${dirname(outrigBinary())}/examples/readme`;
    const { code, output } = await run(example, [], { env: { ...process.env, ANTHROPIC_BASE_URL: emulator.baseUrl, ANTHROPIC_API_KEY: "local" } });
    assert.equal(code, 0, output);
    assert.match(output, /agent\.custom_tool_use[\s\S]*user\.custom_tool_result[\s\S]*session\.status_idle\s*$/);
  } finally {
    emulator.stop();
  }
});

test("the CLI snippet runs", async () => {
  const script = `set -euo pipefail\n${readFileSync(`${root}/tests/readme/cli.sh`, "utf8")}\nkill $(jobs -p)\n`;
  const env = { ...process.env, PATH: `${dirname(outrigBinary())}:${process.env.PATH}` };
  delete env.ANTHROPIC_API_KEY;
  delete env.ANTHROPIC_BASE_URL;
  const { code, output } = await run("bash", ["-c", script], { cwd: root, env });
  assert.equal(code, 0, output);
  assert.match(output, /with 7 custom tools/);
  assert.match(output, /tool result 10 km = 6\.213712 mi/);
});
