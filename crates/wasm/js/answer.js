// Answering custom tool calls with JavaScript functions: the loops of `runTools` and
// `createToolWebhook` over the core's session machine. Loaded with the tool-answering wasm
// module (tools-core.js), so a program that only streams never ships it; it imports nothing,
// and gets the client and the module from its callers.

/**
 * Runs one JavaScript tool for a call and sends its result (a throw is an `is_error`
 * result), telling `machine` how sending went. Resolves to what was answered, or
 * `undefined` when the call was stopped (nothing is sent) or its answer refused for good.
 */
async function answerCall(client, sessionId, call, tool, signal, machine) {
  const started = Date.now();
  let content;
  let isError = false;
  try {
    const value = await tool(call.input, { call, signal });
    content = typeof value === "string" ? [{ type: "text", text: value }]
      : Array.isArray(value) && value.every((b) => b && typeof b.type === "string") ? value
      : [{ type: "text", text: JSON.stringify(value ?? null) }];
  } catch (error) {
    isError = true;
    content = [{ type: "text", text: String(error?.message ?? error) }];
  }
  if (signal?.aborted) return undefined;
  try {
    await client.sessions.events.send(sessionId, { events: [{ type: "user.custom_tool_result", custom_tool_use_id: call.id, content, is_error: isError }] }, { signal });
  } catch (error) {
    const status = typeof error?.status === "number" ? error.status : undefined;
    if (signal?.aborted || !machine.sendFailed(call.id, status)) return undefined;
    throw error;
  }
  machine.sent(call.id);
  return { id: call.id, name: call.name, isError, ms: Date.now() - started };
}

/** A signal aborted when either is. */
function eitherSignal(first, second) {
  if (!first) return second;
  const both = new AbortController();
  for (const signal of [first, second]) {
    if (signal.aborted) both.abort(signal.reason);
    else signal.addEventListener("abort", () => both.abort(signal.reason), { once: true });
  }
  return both.signal;
}

/**
 * `client.sessions.events.runTools`: answers the session's calls to `tools` on the
 * resumable stream (`openStream`) until the turn ends (or, with `until: "session"`, the
 * session does); `core` is the tool-answering wasm module.
 */
export async function runTools(client, openStream, core, sessionId, { tools, until = "turn", signal, message, backfill = true } = {}) {
  const machine = new core.SessionMachine(Object.keys(tools).join("\0"));
  const calls = new Map(); // call id → its event, until it is dispatched
  const running = new Map(); // call id → its stop controller and interrupt generation
  const answered = [];
  const answering = [];
  let stopReason;
  let stream;
  try {
    stream = await openStream(sessionId, { signal, backfill });
    if (message !== undefined) {
      await client.sessions.events.send(sessionId, { events: [{ type: "user.message", content: typeof message === "string" ? [{ type: "text", text: message }] : message }] }, { signal });
    }
    for await (const event of stream) {
      if (event.type === "agent.custom_tool_use") calls.set(event.id, event);
      machine.feed(event);
      // Act on everything received so far: a backfilled history holds answers and later
      // turns after the idles that came before them.
      if (stream.queued) continue;
      const generation = machine.interrupts;
      for (const call of running.values()) if (call.generation < generation) call.stop.abort();
      for (const id of machine.cancelled()) running.get(id)?.stop.abort();
      for (const id of machine.dispatch()) {
        const call = calls.get(id);
        calls.delete(id);
        const stop = new AbortController();
        running.set(id, { stop, generation });
        answering.push(answerCall(client, sessionId, call, tools[call.name], eitherSignal(signal, stop.signal), machine).then((done) => {
          running.delete(id);
          if (done) answered.push(done);
        }));
      }
      const end = machine.turnEnded();
      if (end === "terminated" || (end !== undefined && until === "turn")) {
        stopReason = end === "terminated" ? event.type : end;
        break;
      }
    }
  } finally {
    await stream?.return();
    try {
      await Promise.all(answering);
    } finally {
      machine.free();
    }
  }
  return { calls: answered, stopReason };
}

/**
 * `createToolWebhook`'s work for one delivery: runs the calls of `sessionId` that await
 * `tools`, as the session machine reads its history (claimed through `claim` when given);
 * returns what was answered.
 */
export async function answerPending(client, core, sessionId, tools, claim) {
  const machine = new core.SessionMachine(Object.keys(tools).join("\0"));
  try {
    const calls = new Map();
    for await (const event of client.sessions.events.list(sessionId)) {
      if (event.type === "agent.custom_tool_use") calls.set(event.id, event);
      machine.feed(event);
    }
    const results = await Promise.all(machine.dispatch().map(async (id) => {
      const call = calls.get(id);
      const won = claim ? await claim(call.id) : true;
      if (won === "expired") {
        const message = core.lostAnswer(call.name);
        return answerCall(client, sessionId, call, () => {
          throw new Error(message);
        }, undefined, machine);
      }
      if (won !== true && won !== "won") return undefined;
      return answerCall(client, sessionId, call, tools[call.name], undefined, machine);
    }));
    return results.filter(Boolean);
  } finally {
    machine.free();
  }
}
