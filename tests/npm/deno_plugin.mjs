// Run by Deno: the edge tool runner with the web entry; prints the round trip as JSON.
import { Outrig } from "../../artifacts/npm/outrig/web.js";
import { coreModulesAt, loadPlugin } from "../../artifacts/npm/outrig/plugin.js";
import { pluginRoundTrip } from "./plugin-roundtrip.mjs";

const [baseURL, dir] = Deno.args;
const { instantiate } = await import(new URL("invoices.js", dir).href);
const result = await pluginRoundTrip({ Outrig, loadPlugin, instantiate, getCoreModule: coreModulesAt(dir), baseURL });
console.log(JSON.stringify(result));
