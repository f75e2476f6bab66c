// The npm package's session machine (`createSessionMachine`, the core's rules through the
// tool-answering wasm module) played through the shared event scripts
// (tests/fixtures/session-scripts.json), which the Rust tests play too.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { createSessionMachine } from "outrig";

const { scripts } = JSON.parse(readFileSync(new URL("../fixtures/session-scripts.json", import.meta.url)));
// The JS machine answers custom tools only; confirmations and built-in calls are the
// host's and worker's (the Rust tests play those scripts' steps).
const customOnly = (script) => script.steps.every((step) => !step.expect?.kinds || step.expect.kinds.every((k) => k === "custom"));

test("the shared session scripts play the same in JavaScript", async () => {
  const played = scripts.filter(customOnly);
  assert.ok(played.length >= 8, `only ${played.length} scripts are custom-tool only`);
  for (const script of played) {
    const machine = await createSessionMachine(script.serves.filter((name) => name !== "@confirm"));
    script.steps.forEach((step, n) => {
      const at = `${script.name}, step ${n}`;
      if (step.event) machine.feed(step.event);
      if (step.sent) machine.sent(step.sent);
      if (step.send_failed) assert.equal(machine.sendFailed(step.send_failed, step.status ?? undefined), step.expect_retry, at);
      const expect = step.expect;
      if (!expect) return;
      if (expect.dispatch) assert.deepEqual(machine.dispatch(), expect.dispatch, `${at}: dispatched`);
      if (expect.cancel) assert.deepEqual(machine.cancelled(), expect.cancel, `${at}: cancelled`);
      if ("turn" in expect) assert.equal(machine.turnEnded(), expect.turn ?? undefined, `${at}: turn`);
      if (expect.in_turn !== undefined) assert.equal(machine.inTurn, expect.in_turn, `${at}: in turn`);
      if (expect.interrupts !== undefined) assert.equal(machine.interrupts, expect.interrupts, `${at}: interrupts`);
    });
    machine.free();
  }
});
