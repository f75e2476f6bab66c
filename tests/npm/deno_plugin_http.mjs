// Run by Deno: HTTP at the edge (plugin-http.mjs) with the JSPI builds; prints it as JSON.
import { coreModulesAt, hasJspi, loadPlugin } from "../../artifacts/npm/outrig/plugin.js";
import { httpAtTheEdge } from "./plugin-http.mjs";

const [api, site] = Deno.args;
const build = async (name) => ({
  instantiate: (await import(new URL(`${name}/${name}.jspi.js`, site).href)).instantiate,
  getCoreModule: coreModulesAt(new URL(`${name}/`, site)),
});
console.log(JSON.stringify(await httpAtTheEdge({ loadPlugin, hasJspi, invoices: await build("invoices"), hostile: await build("hostile-http"), api })));
