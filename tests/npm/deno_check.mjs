// Run by Deno: the package's web entry (fetch + ReadableStream, wasm via fetch).
import { Outrig } from "../../artifacts/npm/outrig/web.js";
import { PONG, roundTrip } from "./roundtrip.mjs";

const { seen, report } = await roundTrip(Outrig, Deno.args[0]);
if (!seen.includes("agent.custom_tool_use") || report !== `Tool results:\nping: ${PONG}`) {
  console.error("unexpected", seen, report);
  Deno.exit(1);
}
console.log("deno ok");
