// A Cloudflare worker (run in workerd by miniflare): the edge tool runner answering the
// session's calls with the transpiled plugin, its core modules and the plugin contract's imported statically.
import { Outrig } from "./outrig/workerd.js";
import { loadPlugin } from "./outrig/plugin.js";
import contract from "./outrig/outrig_plugin_bg.wasm";
import { instantiate, getCoreModule } from "./invoices/invoices.workerd.js";
import { pluginRoundTrip } from "./plugin-roundtrip.mjs";

export default {
  async fetch(request, env) {
    return Response.json(await pluginRoundTrip({ Outrig, loadPlugin, instantiate, getCoreModule, baseURL: env.BASE_URL, contract }));
  },
};
