// How a batch of the core's actions (Latin-1, or UTF-16LE when its length is negative: see
// `StreamMachine.poll`) becomes a string, read in place from the core's memory (which each
// entry point sets): by the platform's `TextDecoder`s (its "latin1" is windows-1252, which
// differs only at 0x80-0x9f: never in a batch), which Node's entry replaces by its `Buffer`
// (a copy; Node's `TextDecoder`s take several times longer); then cut into its fields where
// the core says they end (`StreamMachine.fieldsAt`).
const latin1 = new TextDecoder("latin1");
const utf16 = new TextDecoder("utf-16le");
let words = new Uint32Array(0);
export const batch = {
  memory: undefined,
  /** The batch's fields: `text` cut at the ends the core wrote at `at` in its memory. */
  fields(text, at) {
    if (words.buffer !== batch.memory.buffer) words = new Uint32Array(batch.memory.buffer);
    const fields = [];
    for (let word = at >>> 2, start = 0; start <= text.length; word++) {
      const end = words[word];
      fields.push(text.substring(start, end));
      start = end + 1;
    }
    return fields;
  },
  decode: (at, length) => (length < 0 ? utf16 : latin1).decode(new Uint8Array(batch.memory.buffer, at, Math.abs(length))),
};
