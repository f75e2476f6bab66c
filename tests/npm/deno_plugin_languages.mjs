// Run by Deno: the JavaScript (componentize-js) and Python (componentize-py) example
// plugins through the edge runner, with the inputs the native host's test gives them.
import { coreModulesAt, loadPlugin } from "../../artifacts/npm/outrig/plugin.js";

const [site] = Deno.args;
const run = async (name, tool, input) => {
  const { instantiate } = await import(new URL(`${name}/${name}.js`, site).href);
  const plugin = await loadPlugin(instantiate, coreModulesAt(new URL(`${name}/`, site)));
  return plugin.call(tool, input);
};
const js = await run("units", "convert_units", { value: 100, from: "F", to: "C" });
const py = await run("stats", "describe_numbers", { values: [3, 1, 4, 1, 5, 9, 2, 6] });
console.log(JSON.stringify({ js, py }));
