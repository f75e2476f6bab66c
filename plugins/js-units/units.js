// An Outrig tool plugin in JavaScript (built with componentize-qjs, QuickJS):
// converts between units of length, mass and temperature.
import host from "outrig:tool/host@0.1.0";

const FACTORS = {
  length: { m: 1, km: 1000, cm: 0.01, mm: 0.001, mi: 1609.344, yd: 0.9144, ft: 0.3048, in: 0.0254 },
  mass: { kg: 1, g: 0.001, mg: 0.000001, lb: 0.45359237, oz: 0.028349523125, t: 1000 },
};

function toKelvin(value, unit) {
  switch (unit) {
    case "K": return value;
    case "C": return value + 273.15;
    case "F": return (value - 32) * 5 / 9 + 273.15;
  }
  return null;
}

function fromKelvin(kelvin, unit) {
  switch (unit) {
    case "K": return kelvin;
    case "C": return kelvin - 273.15;
    case "F": return (kelvin - 273.15) * 9 / 5 + 32;
  }
  return null;
}

function convert({ value, from, to }) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw { tag: "invalid-input", val: "`value` must be a finite number" };
  }
  for (const table of Object.values(FACTORS)) {
    if (from in table && to in table) return (value * table[from]) / table[to];
  }
  const kelvin = toKelvin(value, from);
  const result = kelvin === null ? null : fromKelvin(kelvin, to);
  if (result === null) {
    throw { tag: "invalid-input", val: `cannot convert \`${from}\` to \`${to}\`` };
  }
  return result;
}

export const tool = {
  describe() {
    const units = [...Object.values(FACTORS).flatMap(Object.keys), "C", "F", "K"];
    return [
      {
        name: "convert_units",
        description: "Converts a value between units of the same kind (length, mass or temperature).",
        inputSchema: JSON.stringify({
          type: "object",
          properties: {
            value: { type: "number" },
            from: { type: "string", enum: units },
            to: { type: "string", enum: units },
          },
          required: ["value", "from", "to"],
        }),
        outputSchema: null,
        hints: { readOnly: true, destructive: false, idempotent: true },
      },
    ];
  },

  call(name, input) {
    if (name !== "convert_units") throw { tag: "invalid-input", val: `no tool named \`${name}\`` };
    let args;
    try {
      args = JSON.parse(input);
    } catch (error) {
      throw { tag: "invalid-input", val: `input is not JSON: ${error}` };
    }
    const result = convert(args);
    host.log("debug", `converted ${args.value} ${args.from} to ${args.to}`);
    const rounded = Math.round(result * 1e6) / 1e6;
    return [
      { tag: "text", val: `${args.value} ${args.from} = ${rounded} ${args.to}` },
      { tag: "json", val: JSON.stringify({ value: rounded, unit: args.to }) },
    ];
  },
};
