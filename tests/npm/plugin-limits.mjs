// A runtime-neutral run of the hostile plugin through the edge runner, used in Node (the
// synchronous build) and Deno (the JSPI build, whose waits really suspend): each attack's
// outcome, for the test to check. Calls that never end on their own get a short limit; the
// rest the default 30 s, so how fast the machine is decides nothing.
export async function hostileOutcomes({ loadPlugin, instantiate, getCoreModule }) {
  const plugin = await loadPlugin(instantiate, getCoreModule);
  const endless = await loadPlugin(instantiate, getCoreModule, { limits: { timeout_ms: 300 } });
  const outcome = async (name, input = {}, options) => {
    const runner = ["sleep", "log_empty_flood"].includes(name) ? endless : plugin;
    const { content, isError, logs } = await runner.call(name, input, options);
    return { text: content.map((c) => c.text).join(""), isError, logs: logs.map((l) => l.message) };
  };
  const outcomes = {};
  for (const name of ["read_passwd", "read_env", "connect", "read_stdin", "sleep", "log_empty_flood", "confetti", "flood", "panic", "log_flood", "ok"]) {
    outcomes[name] = await outcome(name);
  }
  const cancel = new AbortController();
  cancel.abort();
  outcomes.wait_cancel = await outcome("wait_cancel", {}, { signal: cancel.signal });
  outcomes.after_traps = await outcome("ok");
  outcomes.remember_first = await outcome("remember", { secret: "s3cret-1" });
  outcomes.remember_second = await outcome("remember", { secret: "s3cret-2" });
  return outcomes;
}
