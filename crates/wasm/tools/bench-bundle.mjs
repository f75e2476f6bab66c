// Bundle size of the same small program (create a session, stream its events) built with
// esbuild against `outrig` and against @anthropic-ai/sdk@1.10.0, for the browser.
// `node crates/wasm/tools/bench-bundle.mjs`
import { build } from "esbuild";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";

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

const sizes = (bytes) => ({ raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length });
const rows = [];
for (const [name, entry, wasm] of [["outrig 0.1.0", "outrig.mjs", true], ["@anthropic-ai/sdk 1.10.0", "sdk.mjs", false]]) {
  await build({ entryPoints: [`${dir}/${entry}`], bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", outfile: `${dir}/${entry}.js`, nodePaths: [`${here}/node_modules`], logLevel: "error" });
  const js = sizes(readFileSync(`${dir}/${entry}.js`));
  const extra = wasm ? sizes(readFileSync(fileURLToPath(new URL("../../../artifacts/npm/outrig/outrig_wasm_bg.wasm", import.meta.url)))) : { raw: 0, gzip: 0, brotli: 0 };
  rows.push({ name, js, extra, total: { raw: js.raw + extra.raw, gzip: js.gzip + extra.gzip, brotli: js.brotli + extra.brotli } });
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log("| client | JS (min) | wasm | total raw | total gzip | total brotli |\n|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${kb(r.js.raw)} | ${r.extra.raw ? kb(r.extra.raw) : "—"} | ${kb(r.total.raw)} | ${kb(r.total.gzip)} | ${kb(r.total.brotli)} |`);
