// A Cloudflare worker (run in workerd by miniflare): HTTP at the edge (plugin-http.mjs)
// with the JSPI builds, their core modules and the plugin contract imported statically.
import { hasJspi, loadPlugin } from "./outrig/plugin.js";
import contract from "./outrig/outrig_plugin_bg.wasm";
import * as invoices from "./invoices/invoices.jspi.workerd.js";
import * as hostile from "./hostile-http/hostile-http.jspi.workerd.js";
import { httpAtTheEdge } from "./plugin-http.mjs";

export default {
  async fetch(request, env) {
    return Response.json(await httpAtTheEdge({ loadPlugin, hasJspi, invoices, hostile, api: env.API, contract }));
  },
};
