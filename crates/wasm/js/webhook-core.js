// Where `createToolWebhook` finds webhook verification, a wasm module of its own: each entry
// point (node.js, web.js, workerd.js) says how its runtime loads it, and it is loaded on
// first use, so a program that never verifies a webhook never fetches it.
let load = () => {
  throw new Error("webhook verification is not available: import `outrig` through its package entry points");
};
let verifier;

/** Sets how to load the module; the loader resolves to its `verifyWebhook`. */
export function provideWebhookCore(loader) {
  load = loader;
}

/** The module's `verifyWebhook`, loaded once. */
export function webhookVerifier() {
  verifier ??= Promise.resolve().then(load);
  return verifier;
}
