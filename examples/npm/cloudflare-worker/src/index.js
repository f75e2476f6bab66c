// The worker: `createProxy` re-serves a session to the browser as an EventSource stream and
// forwards the events a page may send. `authorize` decides who may see which session; here a
// signed cookie or token check of your own goes where `ownsSession` is.
import { createProxy } from "outrig";

const ownsSession = async (request, sessionId, env) => request.headers.get("authorization") === `Bearer ${env.DEMO_TOKEN}` && sessionId.startsWith("sesn_");

export default {
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
