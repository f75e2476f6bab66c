// Builds units.js into a component against outrig:tool@0.2.0 with componentize-js.
import { componentize } from "@bytecodealliance/componentize-js";
import { writeFile } from "node:fs/promises";

const { component } = await componentize({
  sourcePath: "units.js",
  witPath: "../../wit/0.2.0",
  worldName: "plugin",
});
await writeFile("units.wasm", component);
