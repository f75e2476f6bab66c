// Starts `outrig emulator` on a free port for a Node test.
import { spawn } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";

export function outrigBinary() {
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".cache/outrig/target");
  return process.env.OUTRIG_BIN ?? join(target, "debug", "outrig");
}

/** Resolves to { baseUrl, stop() } once the emulator listens. */
export function startEmulator(...args) {
  const child = spawn(outrigBinary(), ["emulator", "--addr", "127.0.0.1:0", "--db", ":memory:", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${log}`)), 30_000);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const match = /outrig emulator on (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        log = "";
        resolve({ baseUrl: match[1], stop: () => child.kill() });
      }
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${log}`)));
  });
}
