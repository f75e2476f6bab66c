import { EVENTS, streamingFetch } from "./stream-body.mjs";
import { Outrig } from "../../../artifacts/npm/outrig/node.js";
const fetch = streamingFetch(Number(process.argv[2] ?? 1024));
const client = new Outrig({ apiKey: "k", baseURL: "http://bench.test", fetch });
for (let r = 0; r < 8; r++) { let n = 0; for await (const e of await client.sessions.events.stream("sesn_1")) if (e.type) n++; }
