// Claims for createToolWebhook kept in a Cloudflare Durable Object: every instance of a
// worker asks the same object, which answers one request at a time, so a call is won once.
// Workers KV is not offered: it has no compare-and-set, and two instances reading it at once
// would both win.

const DAY_MS = 24 * 3600 * 1000;

/**
 * A Durable Object class holding claims. Export it from your worker
 * (`export { OutrigClaims } from "outrig"`) and bind it (`[[durable_objects.bindings]]`,
 * `class_name = "OutrigClaims"`). A claim is a lease: won by the first instance, lost by
 * the others while it lasts, and reported `"expired"` to the first instance that asks after
 * it ran out (its holder died; createToolWebhook then answers the call with an error instead
 * of running it twice). Entries are deleted a day after their lease ends.
 */
export class OutrigClaims {
  constructor(ctx) {
    this.storage = ctx.storage;
  }

  async fetch(request) {
    let asked;
    try {
      asked = await request.json();
    } catch {
      return Response.json({ error: "the body is not JSON" }, { status: 400 });
    }
    const { id, leaseMs } = asked ?? {};
    if (typeof id !== "string" || !Number.isFinite(leaseMs) || leaseMs <= 0) {
      return Response.json({ error: "give { id: string, leaseMs: number > 0 }" }, { status: 400 });
    }
    const now = Date.now();
    const held = await this.storage.get(id);
    if (held && held.until > now) return Response.json({ claim: "lost" });
    await this.storage.put(id, { until: now + leaseMs });
    if ((await this.storage.getAlarm()) === null) await this.storage.setAlarm(now + DAY_MS);
    return Response.json({ claim: held ? "expired" : "won" });
  }

  async alarm() {
    const stale = Date.now() - DAY_MS;
    const entries = await this.storage.list();
    const old = [...entries].filter(([, held]) => held.until < stale).map(([id]) => id);
    for (let i = 0; i < old.length; i += 128) await this.storage.delete(old.slice(i, i + 128));
    if (entries.size > old.length) await this.storage.setAlarm(Date.now() + DAY_MS);
  }
}

/**
 * A `claim` for createToolWebhook backed by an {@link OutrigClaims} Durable Object
 * namespace binding (one object, named `name`, shared by every instance). The stub is made
 * per call: workerd ties it to the request that made it.
 */
export function durableObjectClaims(namespace, { name = "outrig-claims", leaseMs = 300_000 } = {}) {
  return async (id) => {
    const stub = namespace.get(namespace.idFromName(name));
    const response = await stub.fetch("https://outrig-claims/claim", { method: "POST", body: JSON.stringify({ id, leaseMs }) });
    if (!response.ok) throw new Error(`the claims object answered ${response.status}`);
    return (await response.json()).claim;
  };
}
