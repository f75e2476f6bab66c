// How a batch of the core's actions (ASCII, or UTF-16LE when its length is negative: see
// `StreamMachine.poll`) becomes a string, read in place from the core's memory (which each
// entry point sets): by the platform's `TextDecoder`s, which Node's entry replaces by its
// `Buffer` (a copy; Node's `TextDecoder` converts UTF-16 at a fraction of that speed).
const ascii = new TextDecoder();
const utf16 = new TextDecoder("utf-16le");
export const batch = {
  memory: undefined,
  decode: (at, length) => (length < 0 ? utf16 : ascii).decode(new Uint8Array(batch.memory.buffer, at, Math.abs(length))),
};
