// One workerd (miniflare) worker serving `script` from `dir`: ES modules, and `.wasm` files
// as compiled modules, the way a Cloudflare Worker bundle has them.
import { Miniflare } from "miniflare";

export function workerIn(dir, script, bindings = {}) {
  return new Miniflare({
    modules: true,
    scriptPath: `${dir}/${script}`,
    modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
    compatibilityDate: "2026-04-01",
    bindings,
  });
}
