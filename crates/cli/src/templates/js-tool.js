// An Outrig tool plugin in JavaScript: `greet` says hello. Build with `outrig plugin build`,
// try with `outrig plugin call {{name}}.wasm greet '{"name":"Ada"}'`.
export const tool = {
  describe() {
    return [
      {
        name: "greet",
        description: "Greets someone by name.",
        inputSchema: JSON.stringify({
          type: "object",
          properties: { name: { type: "string", minLength: 1 } },
          required: ["name"],
          additionalProperties: false,
        }),
        outputSchema: null,
        hints: { readOnly: true, destructive: false, idempotent: true },
      },
    ];
  },

  // The host has already checked `input` against the schema above. An async call (e.g.
  // one that awaits `fetch`) is awaited to completion.
  async call(name, input) {
    if (name !== "greet") throw { tag: "invalid-input", val: `no tool named \`${name}\`` };
    return [{ tag: "text", val: `Hello, ${JSON.parse(input).name}!` }];
  },

  origins() {
    return [];
  },
};
