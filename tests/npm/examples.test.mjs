// The programs in examples/npm run against the emulator: Node (runTools) and Deno (the
// stream). The Cloudflare worker example is the same `createProxy` that edge.test.mjs runs in
// workerd; it is not deployed here.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startEmulator } from "../sdk/emulator_process.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, "../../examples/npm");
let emulator;
before(async () => {
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: examples });
  emulator = await startEmulator();
});
after(() => emulator.stop());

const env = () => ({ ...process.env, ANTHROPIC_BASE_URL: emulator.baseUrl, ANTHROPIC_API_KEY: "", NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" });

test("the Node example answers its tool call with a function", () => {
  const { ANTHROPIC_API_KEY, ...rest } = env();
  const output = execFileSync("node", ["node/answer-tools.mjs"], { cwd: examples, env: rest, encoding: "utf8" });
  assert.match(output, /1 call\(s\) answered: order_status; the turn ended with end_turn/);
});

test("the Deno example streams a turn", () => {
  const { ANTHROPIC_API_KEY, ...rest } = env();
  const output = execFileSync(join(here, "node_modules/.bin/deno"), ["run", "--allow-net=127.0.0.1", "--allow-env", `--allow-read=${join(here, "../..")}`, "--config", "deno/deno.json", "deno/stream.ts"], { cwd: examples, env: rest, encoding: "utf8" });
  assert.match(output, /agent: You said: Hello from Deno/);
  assert.match(output, /turn ended: end_turn/);
});
