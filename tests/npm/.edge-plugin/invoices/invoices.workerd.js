// For workerd (Cloudflare Workers), which compiles wasm only from static imports.
export { instantiate } from "./invoices.js";
import core0 from "./invoices.core.wasm";
import core1 from "./invoices.core2.wasm";
import core2 from "./invoices.core3.wasm";
const cores = { "invoices.core.wasm": core0, "invoices.core2.wasm": core1, "invoices.core3.wasm": core2, };
/** The compiled core module of this name. */
export const getCoreModule = (name) => cores[name];
