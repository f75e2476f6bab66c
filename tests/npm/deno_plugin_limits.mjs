// Run by Deno: the hostile plugin's JSPI build through the edge runner (plugin-limits.mjs);
// prints the outcomes as JSON.
import { coreModulesAt, loadPlugin } from "../../artifacts/npm/outrig/plugin.js";
import { hostileOutcomes } from "./plugin-limits.mjs";

const [dir] = Deno.args;
const { instantiate } = await import(new URL("hostile.jspi.js", dir).href);
console.log(JSON.stringify(await hostileOutcomes({ loadPlugin, instantiate, getCoreModule: coreModulesAt(dir) })));
