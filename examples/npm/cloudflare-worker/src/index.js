// The worker: `createProxy` re-serves a session to the browser as an EventSource stream and
// forwards the events a page may send. `authorize` decides who may see which session; here a
// signed cookie or token check of your own goes where `ownsSession` is.
import { createProxy } from "outrig";

/** @typedef {{ ANTHROPIC_API_KEY: string, ANTHROPIC_BASE_URL?: string, ALLOWED_ORIGIN: string, DEMO_TOKEN: string }} Env */

/** @type {(request: Request, sessionId: string, env: Env) => Promise<boolean>} */
const ownsSession = async (request, sessionId, env) => request.headers.get("authorization") === `Bearer ${env.DEMO_TOKEN}` && sessionId.startsWith("sesn_");

export default {
  /** @param {Request} request @param {Env} env */
  fetch(request, env) {
    const proxy = createProxy({
      apiKey: env.ANTHROPIC_API_KEY,
      baseURL: env.ANTHROPIC_BASE_URL,
      allowedOrigins: [env.ALLOWED_ORIGIN],
      authorize: (req, sessionId) => ownsSession(req, sessionId, env),
    });
    return proxy(request);
  },
};
