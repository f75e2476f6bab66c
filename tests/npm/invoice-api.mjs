// A loopback invoice API for the edge HTTP tests (CORS open, as a browser page needs):
// `/invoices/INV-1` (paid), other ids 404, `/big?bytes=N`, `/redirect` (to INV-1), and
// `/slow`, which never answers.
import { createServer } from "node:http";

export async function startInvoiceApi() {
  const held = new Set();
  const server = createServer((request, response) => {
    const url = new URL(request.url, "http://api");
    response.setHeader("access-control-allow-origin", "*");
    if (url.pathname === "/invoices/INV-1") {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ id: "INV-1", status: "paid", paid_at: "2026-11-30" }));
    } else if (url.pathname === "/big") {
      response.end(Buffer.alloc(Number(url.searchParams.get("bytes")), "x"));
    } else if (url.pathname === "/redirect") {
      response.writeHead(302, { location: "/invoices/INV-1" }).end();
    } else if (url.pathname === "/slow") {
      held.add(response);
    } else {
      response.writeHead(404).end("{}");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close() {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
}
