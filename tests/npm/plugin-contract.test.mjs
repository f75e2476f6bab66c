// The edge runner (`outrig/plugin`) applies the core's plugin contract, as the native host
// does: declarations checked in bytes, an empty list refused, schemas compiled, inputs and
// JSON results checked against them. The "plugin" here is a stand-in `instantiate` whose
// tool is plain JavaScript, so each declaration can be chosen.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_LIMITS, loadPlugin } from "outrig/plugin";

const standIn = (specs, call = () => [{ tag: "text", val: "ok" }]) => async () => ({ tool: { describe: () => specs, call } });
const spec = (fields) => ({ name: "lookup", description: "Looks a thing up.", inputSchema: JSON.stringify({ type: "object" }), hints: {}, ...fields });
const noCores = () => undefined;

test("an empty tool list is refused", async () => {
  await assert.rejects(loadPlugin(standIn([]), noCores), /describe\(\) returned no tools/);
});

test("descriptions are measured in bytes, not UTF-16 units", async () => {
  const description = "é".repeat(3000); // 3000 UTF-16 units, 6000 bytes
  await assert.rejects(loadPlugin(standIn([spec({ description })]), noCores, { limits: { max_description_bytes: 4096 } }), /description of 6000 bytes for `lookup`, over the limit of 4096/);
  const plugin = await loadPlugin(standIn([spec({ description })]), noCores, { limits: { max_description_bytes: 6000 } });
  assert.equal(plugin.tools[0].description.length, 3000);
});

test("schemas are compiled at load, and an invalid one is refused", async () => {
  await assert.rejects(loadPlugin(standIn([spec({ inputSchema: JSON.stringify({ type: "object", properties: { n: { type: "objekt" } } }) })]), noCores), /input schema for `lookup` that is not a valid JSON Schema/);
  await assert.rejects(loadPlugin(standIn([spec({ outputSchema: "{" })]), noCores), /output schema for `lookup` that is not JSON/);
  await assert.rejects(loadPlugin(standIn([spec({ inputSchema: JSON.stringify({ type: "string" }) })]), noCores), /not an object schema/);
  await assert.rejects(loadPlugin(standIn([spec({ name: "bad name" })]), noCores), /names must be 1-64 characters/);
  await assert.rejects(loadPlugin(standIn([spec(), spec()]), noCores), /tool name `lookup` twice/);
});

test("input is checked against the input schema before the tool runs", async () => {
  let ran = 0;
  const inputSchema = JSON.stringify({ type: "object", properties: { n: { type: "integer" } }, required: ["n"] });
  const plugin = await loadPlugin(standIn([spec({ inputSchema })], () => (ran++, [{ tag: "text", val: "ok" }])), noCores);
  const refused = await plugin.call("lookup", { n: "seven" });
  assert.equal(refused.isError, true);
  assert.match(refused.content[0].text, /^invalid input: \/n: "seven" is not of type "integer"/);
  assert.equal(ran, 0, "the tool did not run");
  const ok = await plugin.call("lookup", { n: 7 });
  assert.deepEqual(ok.content, [{ type: "text", text: "ok" }]);
  assert.equal(ran, 1);
});

test("JSON results are checked against the output schema, and the output caps hold", async () => {
  const outputSchema = JSON.stringify({ type: "object", required: ["total"] });
  let result = [{ tag: "json", val: '{"sum": 3}' }];
  const plugin = await loadPlugin(standIn([spec({ outputSchema })], () => result), noCores, { limits: { output_blocks: 2 } });
  const off = await plugin.call("lookup", {});
  assert.equal(off.isError, true);
  assert.match(off.content[0].text, /does not match its output schema: \/: "total" is a required property/);
  result = [{ tag: "json", val: "{not json" }];
  assert.match((await plugin.call("lookup", {})).content[0].text, /a `json` block that is not JSON/);
  result = [{ tag: "text", val: "a" }, { tag: "text", val: "b" }, { tag: "text", val: "c" }];
  assert.match((await plugin.call("lookup", {})).content[0].text, /3 content blocks, over the 2-block output limit/);
  result = [{ tag: "image", val: { mediaType: "image/png", data: new Uint8Array([1, 2, 3]) } }];
  assert.deepEqual((await plugin.call("lookup", {})).content, [{ type: "image", source: { type: "base64", media_type: "image/png", data: "AQID" } }]);
});

test("the default limits are the core's", () => {
  assert.equal(DEFAULT_LIMITS.max_tools, 128);
  assert.equal(DEFAULT_LIMITS.output_bytes, 1 << 20);
});
