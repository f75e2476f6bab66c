// A minimal Node adapter for a fetch-style handler (like createProxy's): the handled
// request aborts when the client disconnects. Resolves to the listening server.
import { createServer } from "node:http";

export function serveHandler(handle) {
  const server = createServer(async (req, res) => {
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    const response = await handle(new Request(`http://edge${req.url}`, { headers: req.headers, signal: gone.signal }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    try {
      for await (const chunk of response.body ?? []) res.write(chunk);
    } catch {
      // the body was cancelled because the client went away
    }
    res.end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
