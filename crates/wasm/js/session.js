// The session machine (crates/wasm-tools over `outrig_api::state`): which calls await this
// client, which the session stopped waiting for, and when the turn ended. `runTools`,
// `createToolWebhook` and the page are loops over it.
import { toolsCore } from "./tools-core.js";

/**
 * A session machine answering the custom tools named `toolNames` (every custom tool when
 * omitted). Feed it every event once, in order; after feeding all you have received, ask
 * `dispatch()` for the calls to run now, `cancelled()` for those the session no longer
 * awaits, and `turnEnded()`.
 * @param {string[]} [toolNames]
 */
export async function createSessionMachine(toolNames) {
  return new (await toolsCore()).SessionMachine(toolNames?.filter((name) => !name.includes("\0")).join("\0"));
}
