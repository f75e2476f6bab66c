// Where tool answering finds its wasm module (webhook verification and the session
// machine, crates/wasm-tools) and the JavaScript loops over it (answer.js): each entry
// point (node.js, web.js, workerd.js) says how its runtime loads them, and they are loaded
// on first use, so a program that only streams never fetches them.
let load = () => {
  throw new Error("tool answering is not available: import `outrig` through its package entry points");
};
let core;

/** Sets how to load the module; the loader resolves to its exports. */
export function provideToolsCore(loader) {
  load = loader;
}

/** The module's exports (`verifyWebhook`, `SessionMachine`, `lostAnswer`) and answer.js's, loaded once. */
export function toolsCore() {
  core ??= Promise.resolve().then(load);
  return core;
}
