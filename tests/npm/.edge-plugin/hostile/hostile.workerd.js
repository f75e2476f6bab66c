// For workerd (Cloudflare Workers), which compiles wasm only from static imports.
export { instantiate } from "./hostile.js";
import core0 from "./hostile.core.wasm";
import core1 from "./hostile.core2.wasm";
import core2 from "./hostile.core3.wasm";
const cores = { "hostile.core.wasm": core0, "hostile.core2.wasm": core1, "hostile.core3.wasm": core2, };
/** The compiled core module of this name. */
export const getCoreModule = (name) => cores[name];
