// The live session page: talks to a base URL (e.g. the Outrig emulator, which sends CORS
// headers) or reads a session through an edge proxy made with `createProxy`.
import { Outrig, eventSourceStream, createSessionMachine, APIError } from "./outrig/web.js";

const $ = (id) => document.getElementById(id);
const state = { client: null, sessionId: null, abort: null };

$("base-url").value = new URLSearchParams(location.search).get("base") ?? location.origin;

function client() {
  state.client ??= new Outrig({
    baseURL: $("base-url").value.trim(),
    apiKey: $("api-key").value.trim() || "outrig-browser",
    dangerouslyAllowBrowser: true,
    maxRetries: 2,
  });
  return state.client;
}
["base-url", "api-key"].forEach((id) => $(id).addEventListener("change", () => { state.client = null; }));

function text(content) {
  return (content ?? []).map((block) => (block.type === "text" ? block.text : `[${block.type}]`)).join("\n");
}

function show(kind, label, body, extra) {
  const item = document.createElement("li");
  item.className = kind;
  const tag = document.createElement("span");
  tag.className = "kind";
  tag.textContent = label;
  item.append(tag, document.createTextNode(body));
  if (extra) item.append(extra);
  $("events").append(item);
  item.scrollIntoView({ block: "nearest" });
  return item;
}

function failure(error) {
  const detail = error instanceof APIError ? `${error.name} (${error.status ?? "stream"}): ${error.message}` : String(error);
  show("error", "error", detail);
}

/** A form to answer a custom tool call from the page. */
function answerForm(call) {
  const form = document.createElement("form");
  form.className = "answer";
  form.dataset.callId = call.id;
  const input = document.createElement("textarea");
  input.rows = 2;
  input.placeholder = `result for ${call.name}`;
  input.setAttribute("aria-label", `result for ${call.name}`);
  const button = document.createElement("button");
  button.textContent = "Send result";
  form.append(input, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await client().sessions.events.send(state.sessionId, {
        events: [{ type: "user.custom_tool_result", custom_tool_use_id: call.id, content: [{ type: "text", text: input.value }], is_error: false }],
      });
      form.remove();
    } catch (error) {
      button.disabled = false;
      failure(error);
    }
  });
  return form;
}

/**
 * A call's form becomes a note: it was answered (live, or replayed with the history), or
 * the session no longer waits for it. Which calls await an answer is the session machine's
 * decision (the core's rules), so a reloaded session shows no form for a call answered long
 * ago.
 */
function settle(callId, note = "answered") {
  for (const form of document.querySelectorAll(`form.answer[data-call-id="${CSS.escape(callId)}"]`)) {
    const span = document.createElement("span");
    span.className = note === "answered" ? "answered" : "dropped";
    span.textContent = note;
    form.replaceWith(span);
  }
}

function render(event) {
  switch (event.type) {
    case "user.message": return show("user", "you", text(event.content));
    case "agent.message": return show("agent", "agent", text(event.content));
    case "agent.thinking": return show("thinking", "thinking", "…");
    case "agent.custom_tool_use": {
      const item = show("tool", `tool call · ${event.name}`, JSON.stringify(event.input, null, 1));
      item.dataset.callId = event.id;
      return item;
    }
    case "agent.tool_use":
    case "agent.mcp_tool_use": return show("tool", `${event.type} · ${event.name}`, JSON.stringify(event.input));
    case "user.custom_tool_result":
      settle(event.custom_tool_use_id);
      return show(event.is_error ? "error" : "result", event.is_error ? "tool error" : "tool result", text(event.content));
    case "agent.tool_result": return show(event.is_error ? "error" : "result", event.is_error ? "tool error" : "tool result", text(event.content));
    case "session.status_running":
    case "session.status_rescheduled":
    case "session.status_terminated": {
      const status = event.type.replace("session.status_", "");
      $("status").textContent = status;
      return show("status", "status", status);
    }
    case "session.status_idle": {
      $("status").textContent = `idle · ${event.stop_reason.type}`;
      return show("status", "status", `idle (${event.stop_reason.type})`);
    }
    case "session.error": return show("error", "session error", `${event.error.type}: ${event.error.message}`);
    case "span.model_request_start":
    case "span.model_request_end":
    case "event_start":
    case "event_delta": return null;
    default: return show("status", event.type, "");
  }
}

async function follow(sessionId) {
  state.abort?.abort();
  state.abort = new AbortController();
  state.sessionId = sessionId;
  $("events").replaceChildren();
  $("session-label").textContent = `Session ${sessionId}`;
  const proxy = $("proxy-url").value.trim();
  const events = proxy
    ? eventSourceStream(`${proxy.replace(/\/$/, "")}/sessions/${encodeURIComponent(sessionId)}/events`, { signal: state.abort.signal })
    : await client().sessions.events.stream(sessionId, { signal: state.abort.signal, backfill: true });
  // Every custom tool call is the person's to answer; a form appears when the session
  // awaits the call, and goes when it is answered or no longer awaited.
  const machine = await createSessionMachine();
  const calls = new Map();
  try {
    for await (const event of events) {
      render(event);
      if (event.type === "agent.custom_tool_use") calls.set(event.id, event);
      machine.feed(event);
      for (const id of machine.dispatch()) {
        document.querySelector(`#events li[data-call-id="${CSS.escape(id)}"]`)?.append(answerForm(calls.get(id)));
      }
      for (const id of machine.cancelled()) settle(id, "no longer awaited");
    }
  } catch (error) {
    if (error?.name !== "APIUserAbortError") failure(error);
  } finally {
    machine.free();
  }
}

$("new-session").addEventListener("click", async () => {
  try {
    const outrig = client();
    const agent = await outrig.agents.create({
      name: "Order support",
      model: "claude-sonnet-4-6",
      tools: [{ type: "custom", name: "get_order_status", description: "Look up the shipping status of an order by its ID.", input_schema: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } }],
    });
    const environment = await outrig.environments.create({ name: "browser" });
    const session = await outrig.sessions.create({ agent: agent.id, environment_id: environment.id, title: "From the page" });
    follow(session.id);
  } catch (error) {
    failure(error);
  }
});

$("load-sessions").addEventListener("click", async () => {
  try {
    const list = $("sessions");
    list.replaceChildren();
    for await (const session of client().sessions.list({ limit: 20 })) {
      list.append(new Option(`${session.title ?? session.id} · ${session.status}`, session.id));
    }
  } catch (error) {
    failure(error);
  }
});
$("sessions").addEventListener("change", (event) => follow(event.target.value));

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.sessionId) return failure("Create or pick a session first.");
  const message = $("message").value;
  if (!message.trim()) return;
  try {
    await client().sessions.events.send(state.sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: message }] }] });
    $("message").value = "";
  } catch (error) {
    failure(error);
  }
});

$("interrupt").addEventListener("click", async () => {
  if (!state.sessionId) return;
  try {
    await client().sessions.events.send(state.sessionId, { events: [{ type: "user.interrupt" }] });
  } catch (error) {
    failure(error);
  }
});
