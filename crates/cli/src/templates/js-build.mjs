// Builds tool.js into {{name}}.wasm against the outrig:tool@0.2.0 WIT in ./wit.
import { componentize } from "@bytecodealliance/componentize-js";
import { writeFile } from "node:fs/promises";

const { component } = await componentize({ sourcePath: "tool.js", witPath: "wit", worldName: "plugin" });
await writeFile("{{name}}.wasm", component);
