// A runtime-neutral check of HTTP at the edge, used in Deno, workerd, Chromium and Node:
// the JSPI builds of the invoices plugin and of the hostile HTTP plugin call a loopback
// API through the edge runner's fetch-backed `wasi:http`, with and without the grant.
// Where the engine has no JSPI, what loading a JSPI build says instead.
export async function httpAtTheEdge({ loadPlugin, hasJspi, invoices, hostile, api, contract }) {
  if (!hasJspi()) {
    try {
      await loadPlugin(invoices.instantiate, invoices.getCoreModule, { contract });
      return { hasJspi: false, refused: "" };
    } catch (error) {
      return { hasJspi: false, refused: error.message };
    }
  }
  const env = [`INVOICES_API_URL=${api}`];
  const load = (plugin, grants, limits) => loadPlugin(plugin.instantiate, plugin.getCoreModule, { grants, limits, contract });
  const outcome = ({ content, isError, logs }) => ({ text: content.map((c) => c.text).join("\n"), isError, logs: logs.map((l) => l.message) });
  const call = async (plugin, tool, input) => outcome(await plugin.call(tool, input));
  const granted = await load(invoices, { env, network: [api], allow_private: true });
  const ungranted = await load(invoices, { env });
  const publicOnly = await load(invoices, { env, network: [api] });
  const reader = await load(hostile, { network: [api], allow_private: true }, { http_response_bytes: 100000 });
  const stuck = await load(hostile, { network: [api], allow_private: true }, { timeout_ms: 500 });
  let malformed = "";
  try {
    await load(invoices, { network: ["127.0.0.1"] });
  } catch (error) {
    malformed = error.message;
  }
  return {
    hasJspi: true,
    granted: await call(granted, "invoice_status", { id: "INV-1" }),
    missing: await call(granted, "invoice_status", { id: "INV-404" }),
    ungranted: await call(ungranted, "invoice_status", { id: "INV-1" }),
    publicOnly: await call(publicOnly, "invoice_status", { id: "INV-1" }),
    small: await call(reader, "fetch", { url: `${api}/big?bytes=50000` }),
    big: await call(reader, "fetch", { url: `${api}/big?bytes=1000000` }),
    otherPort: await call(reader, "fetch", { url: "http://127.0.0.1:9/" }),
    redirect: await call(reader, "fetch", { url: `${api}/redirect` }),
    slow: await call(stuck, "fetch", { url: `${api}/slow` }),
    malformed,
  };
}
