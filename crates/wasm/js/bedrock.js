// The Amazon Bedrock target (`outrig/bedrock`): the same client, served from
// `https://bedrock.{region}.amazonaws.com/anthropic`, every request (the stream included)
// signed with AWS SigV4 or sent with a Bedrock API key. Signing, which operations Bedrock
// serves and their beta come from the core's Bedrock module (outrig_bedrock_bg.wasm), which
// only this entry loads: first-party programs never fetch it.
import { Outrig } from "./client.js";
import * as bedrock from "./outrig_bedrock.js";

/** A request for something Amazon Bedrock does not serve; refused before it is sent. */
export class NotOnBedrockError extends Error {
  constructor(message) {
    super(message);
    this.name = "NotOnBedrockError";
  }
}

/** `name\0value\0…` from a headers object (no header value holds a NUL). */
const flat = (headers) => Object.entries(headers ?? {}).flat().join("\0");

/** A Managed Agents client for Amazon Bedrock. */
export class OutrigBedrock extends Outrig {
  /**
   * @param {import("./bedrock").BedrockClientOptions} options
   */
  constructor({ region, credentials, apiKey, baseURL, workspaceId, dangerouslyAllowBrowser = false, ...options } = {}) {
    if (typeof region !== "string" || region === "") throw new TypeError('OutrigBedrock needs a `region`, e.g. "us-east-1"');
    if (!credentials === !apiKey) throw new TypeError("OutrigBedrock needs AWS `credentials` ({ accessKeyId, secretAccessKey, sessionToken? }, or a function resolving to them) or a Bedrock `apiKey`, not both");
    if (workspaceId !== undefined) throw new TypeError("Amazon Bedrock has no workspaces: leave out `workspaceId`");
    const inBrowser = typeof window !== "undefined" && typeof window.document !== "undefined";
    if (inBrowser && !dangerouslyAllowBrowser) {
      throw new Error("Refusing to send AWS credentials or a Bedrock API key from a browser: pass dangerouslyAllowBrowser: true, or sign on a server.");
    }
    // An explicit empty key keeps the first-party environment variables out of it.
    super({ ...options, apiKey: apiKey ?? "", baseURL: baseURL ?? bedrock.bedrockBaseUrl(region), dangerouslyAllowBrowser });
    this.apiKey = apiKey;
    if (credentials) {
      const send = this.fetch;
      this.fetch = async (url, init) => send(url, { ...init, headers: await signed(credentials, region, url, init) });
    }
  }

  /** As `Outrig.request`, for the operations Bedrock serves, with the beta they all take. */
  async request(method, path, options = {}) {
    const refusal = bedrock.notServed(method, path.split("?")[0]);
    if (refusal) throw new NotOnBedrockError(refusal);
    return super.request(method, path, { ...options, beta: bedrock.bedrockBeta() });
  }
}

/** `init.headers` with the SigV4 headers of this attempt added. */
async function signed(credentials, region, url, init) {
  const { accessKeyId, secretAccessKey, sessionToken } = typeof credentials === "function" ? await credentials() : credentials;
  if (typeof accessKeyId !== "string" || typeof secretAccessKey !== "string") throw new TypeError("AWS credentials need `accessKeyId` and `secretAccessKey` strings");
  if (init.body !== undefined && typeof init.body !== "string") throw new TypeError("only JSON bodies are signed (Bedrock takes no uploads)");
  const signer = new bedrock.BedrockSigner(accessKeyId, secretAccessKey, sessionToken ?? undefined, region);
  try {
    const added = signer.sign(init.method, url, flat(init.headers), new TextEncoder().encode(init.body ?? ""), Date.now() / 1000).split("\0");
    const headers = { ...init.headers };
    for (let i = 0; i < added.length; i += 2) headers[added[i]] = added[i + 1];
    return headers;
  } finally {
    signer.free();
  }
}
