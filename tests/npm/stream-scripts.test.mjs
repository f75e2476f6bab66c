// The npm client's resumable stream against the shared table of transport scripts
// (tests/fixtures/stream-scripts.json, also run by the Rust client): the package's real
// stream over a scripted `fetch`, so what is tested is the JS shell and the core machine.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Outrig } from "outrig";

const table = JSON.parse(readFileSync(new URL("../fixtures/stream-scripts.json", import.meta.url)));
const sse = (item) => {
  if (item === "ping") return "event: ping\ndata: {}\n\n";
  if (typeof item === "string") return `event: ${table.events[item].type}\ndata: ${JSON.stringify(table.events[item])}\n\n`;
  return item.raw;
};

function scriptedFetch(script) {
  let connections = 0;
  const backfills = [];
  const fetch = async (url, init) => {
    const { pathname, searchParams } = new URL(url);
    if (pathname.endsWith("/events/stream")) {
      const connection = script.connections[connections++] ?? { status: 404 };
      if (connection.status) {
        return new Response(JSON.stringify({ type: "error", error: { type: "api_error", message: "scripted" } }), { status: connection.status });
      }
      let bytes = new TextEncoder().encode(connection.send.map(sse).join(""));
      if (connection.cut_after_bytes !== undefined) bytes = bytes.subarray(0, connection.cut_after_bytes);
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(bytes);
          if (connection.then === "close") controller.close();
          init?.signal?.addEventListener("abort", () => controller.error(new Error("aborted")));
        },
      });
      return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
    }
    const since = searchParams.get("created_at[gte]");
    backfills.push(since);
    const data = script.history.map((name) => table.events[name]).filter((e) => since === null || e.processed_at >= since);
    return Response.json({ data, next_page: null });
  };
  return { fetch, backfills };
}

for (const script of table.scripts) {
  test(`stream script: ${script.name}`, async () => {
    const { fetch, backfills } = scriptedFetch(script);
    const client = new Outrig({ apiKey: "k", baseURL: "http://scripted.test", maxRetries: 0, fetch });
    const ids = [];
    let malformed = 0;
    let ends = "finished";
    try {
      for await (const event of await client.sessions.events.stream("sesn_1", { stallTimeout: 300 })) {
        if (event.type === "outrig.malformed_event") malformed++;
        else ids.push(event.id);
      }
    } catch (error) {
      ends = error.status !== undefined ? `gave_up ${error.status}` : "gave_up error_event";
    }
    assert.deepEqual(ids, script.expect.ids, "ids");
    assert.equal(malformed, script.expect.malformed, "malformed");
    assert.deepEqual(backfills, script.expect.backfills, "backfills");
    assert.equal(ends, script.expect.ends, "end");
  });
}
