// A Cloudflare worker (run in workerd by miniflare): the package's workerd entry.
import { Outrig } from "./outrig/workerd.js";
import { roundTrip } from "./roundtrip.mjs";

export default {
  async fetch(request, env) {
    const result = await roundTrip(Outrig, env.BASE_URL);
    return Response.json(result);
  },
};
