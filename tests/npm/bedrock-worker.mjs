// A Cloudflare worker (run in workerd by miniflare): `outrig/bedrock`'s workerd entry.
import { OutrigBedrock, NotOnBedrockError } from "./outrig/bedrock-workerd.js";
import { bedrockRoundTrip } from "./bedrock-roundtrip.mjs";

export default {
  async fetch(request, env) {
    const credentials = { accessKeyId: env.KEY_ID, secretAccessKey: env.SECRET };
    try {
      return Response.json(await bedrockRoundTrip(OutrigBedrock, NotOnBedrockError, { region: env.REGION, baseURL: env.BASE_URL, credentials }));
    } catch (error) {
      return Response.json({ error: `${error.name}: ${error.message}` }, { status: 500 });
    }
  },
};
