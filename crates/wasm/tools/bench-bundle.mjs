// Bundle size of the same small program (create a session, stream its events) built with
// esbuild against `outrig` and against @anthropic-ai/sdk (the pinned newest release: its whole client, and its
// minimal tree-shaken import), for the browser; and the
// same program in Rust against `outrig-client` (crates/client/examples/stream_session.rs)
// compiled to wasm32 with wasm-bindgen and wasm-opt -Oz, like the npm package's core.
// `node crates/wasm/tools/bench-bundle.mjs [--check]`: with `--check` (scripts/test.sh) it
// skips the Rust program and exits 1 if the outrig program is larger, gzipped, than the SDK's
// minimal import or than 30,000 bytes (the budget the package keeps).
import { build } from "esbuild";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";

const here = fileURLToPath(new URL(".", import.meta.url));
const pkg = fileURLToPath(new URL("../../../artifacts/npm/outrig/web.js", import.meta.url));
const dir = mkdtempSync(`${tmpdir()}/outrig-bundle-`);
const program = (importLine, Client, api) => `${importLine}
const client = new ${Client}({ apiKey: "k", baseURL: "http://127.0.0.1:4010", dangerouslyAllowBrowser: true });
export async function run(agentId, environmentId) {
  const session = await ${api}.sessions.create({ agent: agentId, environment_id: environmentId });
  for await (const event of await ${api}.sessions.events.stream(session.id)) {
    console.log(event.type);
    if (event.type === "session.status_idle") break;
  }
}
`;
writeFileSync(`${dir}/outrig.mjs`, program(`import { Outrig } from ${JSON.stringify(pkg)};`, "Outrig", "client"));
writeFileSync(`${dir}/sdk.mjs`, program(`import Anthropic from "@anthropic-ai/sdk";`, "Anthropic", "client.beta"));
// The SDK as a size-conscious user imports it: the base client and the one resource used.
writeFileSync(`${dir}/sdk-minimal.mjs`, program(`import { BaseAnthropic } from "@anthropic-ai/sdk/client";
import { Sessions } from "@anthropic-ai/sdk/resources/beta/sessions/sessions";`, "BaseAnthropic", "sessions").replace("export async function run", "const sessions = new Sessions(client);\nexport async function run"));

const check = process.argv.includes("--check");
const sdkVersion = JSON.parse(readFileSync(`${here}/node_modules/@anthropic-ai/sdk/package.json`)).version;
// The Rust program: cargo (size profile), wasm-bindgen, wasm-opt -Oz.
const root = fileURLToPath(new URL("../../..", import.meta.url));
const target = process.env.CARGO_TARGET_DIR ?? `${process.env.HOME}/.cache/outrig/target`;
if (!check) execFileSync("cargo", ["build", "--quiet", "-p", "outrig-client", "--example", "stream_session", "--target", "wasm32-unknown-unknown", "--profile", "wasm"], { cwd: root, stdio: "inherit" });
if (!check) execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", `${dir}/rust`, `${target}/wasm32-unknown-unknown/wasm/examples/stream_session.wasm`], { stdio: "inherit" });
if (!check) execFileSync(`${here}/node_modules/.bin/wasm-opt`, ["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue", "--enable-simd", "-o", `${dir}/rust/stream_session_bg.wasm`, `${dir}/rust/stream_session_bg.wasm`], { stdio: "inherit" });
writeFileSync(`${dir}/rust.mjs`, `import init, { run as start } from "./rust/stream_session.js";
export async function run(agentId, environmentId) {
  await init();
  await start(agentId, environmentId);
}
`);

const sizes = (bytes) => ({ raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length });
const rows = [];
const builds = [
  ["outrig 0.1.0 (npm: JS over the wasm core)", "outrig.mjs", fileURLToPath(new URL("../../../artifacts/npm/outrig/outrig_wasm_bg.wasm", import.meta.url))],
  ...(check ? [] : [["outrig-client 0.1.0 (Rust → wasm32)", "rust.mjs", `${dir}/rust/stream_session_bg.wasm`]]),
  [`@anthropic-ai/sdk ${sdkVersion}, whole client`, "sdk.mjs", null],
  [`@anthropic-ai/sdk ${sdkVersion}, minimal import (\`BaseAnthropic\` + \`Sessions\`)`, "sdk-minimal.mjs", null],
];
for (const [name, entry, wasm] of builds) {
  await build({ entryPoints: [`${dir}/${entry}`], bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", outfile: `${dir}/${entry}.js`, nodePaths: [`${here}/node_modules`], logLevel: "error" });
  const js = sizes(readFileSync(`${dir}/${entry}.js`));
  const extra = wasm ? sizes(readFileSync(wasm)) : { raw: 0, gzip: 0, brotli: 0 };
  rows.push({ name, js, extra, total: { raw: js.raw + extra.raw, gzip: js.gzip + extra.gzip, brotli: js.brotli + extra.brotli } });
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log("| client | JS (min) | wasm | total raw | total gzip | total brotli |\n|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${kb(r.js.raw)} | ${r.extra.raw ? kb(r.extra.raw) : "—"} | ${kb(r.total.raw)} | ${kb(r.total.gzip)} | ${kb(r.total.brotli)} |`);

const [outrig] = rows;
const minimal = rows.at(-1);
console.log(`\noutrig ${outrig.total.gzip} B gzip, the SDK's minimal import ${minimal.total.gzip} B; the 30 KB goal is ${outrig.total.gzip <= 30_000 ? "met" : `${outrig.total.gzip - 30_000} B away`}.`);
if (outrig.total.gzip > minimal.total.gzip) {
  console.error("outrig's program is larger than the SDK's minimal import");
  process.exitCode = 1;
}
if (check && outrig.total.gzip > 30_000) {
  console.error(`outrig's program is ${outrig.total.gzip} B gzip, over the 30,000 B budget`);
  process.exitCode = 1;
}
