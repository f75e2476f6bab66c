// Run by Deno: `outrig/bedrock`'s web entry (the Bedrock module fetched by URL), signing
// the same round trip against `outrig emulator --platform bedrock`; prints what was sent.
import { OutrigBedrock, NotOnBedrockError } from "../../artifacts/npm/outrig/bedrock-web.js";
import { bedrockRoundTrip } from "./bedrock-roundtrip.mjs";

const [baseURL, region, accessKeyId, secretAccessKey] = Deno.args;
const result = await bedrockRoundTrip(OutrigBedrock, NotOnBedrockError, { region, baseURL, credentials: { accessKeyId, secretAccessKey } });
console.log(JSON.stringify(result));
