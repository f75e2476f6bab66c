// The www page in headless Chromium (Debian's, driven by playwright-core): a full custom
// tool round trip through the page, against the emulator serving the page. Saves a
// screenshot to artifacts/www-roundtrip.png.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { startEmulator } from "../sdk/emulator_process.mjs";
import { BIG_EVENTS_READ, bigEventsRead } from "./big-events.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});

test("a custom tool round trip through the page", async () => {
  const emulator = await startEmulator("--www", `${root}/www`);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    await page.goto(`${emulator.baseUrl}/`);
    await page.click("#new-session");
    await page.waitForSelector("#session-label >> text=/Session sesn_/");
    await page.fill("#message", 'Where is my order?\ncall get_order_status {"order_id":"1234"}');
    await page.click("#send");
    const answer = page.locator("form.answer textarea");
    await answer.waitFor();
    // Non-ASCII (2-, 3- and 4-byte UTF-8) must come back on the stream as it went.
    await answer.fill('{"status":"shipped — ✓ 🦀","carrier":"UPS"}');
    await page.click("form.answer button");
    await page.waitForSelector("#status >> text=idle · end_turn", { timeout: 15_000 });
    const events = await page.locator("#events").innerText();
    assert.match(events, /tool call · get_order_status/i);
    assert.match(events, /tool result\s+\{"status":"shipped — ✓ 🦀","carrier":"UPS"\}/iu);
    assert.match(events, /get_order_status: \{"status":"shipped — ✓ 🦀","carrier":"UPS"\}/u);
    // Reloaded, the page replays the history: the call shows as answered, with no form.
    const sessionId = (await page.locator("#session-label").innerText()).replace("Session ", "");
    await page.reload();
    await page.click("#load-sessions");
    await page.waitForSelector(`#sessions option[value="${sessionId}"]`, { state: "attached" });
    await page.selectOption("#sessions", sessionId);
    await page.waitForSelector("#status >> text=idle · end_turn", { timeout: 15_000 });
    await page.locator("#events .answered").waitFor();
    assert.equal(await page.locator("form.answer").count(), 0, "no form for an answered call");
    mkdirSync(`${root}/artifacts`, { recursive: true });
    await page.screenshot({ path: `${root}/artifacts/www-roundtrip.png`, fullPage: true });
    assert.deepEqual(problems, [], "no errors in the page");
  } finally {
    await browser.close();
    emulator.stop();
  }
});

test("big events read the same through the browser's decoders", async () => {
  const emulator = await startEmulator("--www", `${root}/www`);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${emulator.baseUrl}/`);
    const read = await page.evaluate(`import("/outrig/web.js").then(({ Outrig }) => (${bigEventsRead})(Outrig))`);
    assert.deepEqual(read, BIG_EVENTS_READ);
  } finally {
    await browser.close();
    emulator.stop();
  }
});
