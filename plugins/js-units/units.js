// An Outrig tool plugin in JavaScript (built with componentize-js, StarlingMonkey): converts
// between units of length, mass and temperature, and between currencies at the rate the
// rates API named by RATES_API_URL gives (the operator passes it with `grants.env` and
// allows it with `grants.network`). `fetch` goes out through the world's `wasi:http`
// import, which the host lets reach granted origins only.
import { log } from "outrig:tool/host@0.2.0";
import { getEnvironment } from "wasi:cli/environment@0.2.9";

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

function ratesApi() {
  const entry = getEnvironment().find(([name]) => name === "RATES_API_URL");
  return entry ? entry[1].replace(/\/+$/, "") : null;
}

async function convertCurrency({ amount, from, to }) {
  const base = ratesApi();
  if (!base) {
    throw { tag: "failed", val: "RATES_API_URL is not set: the operator must pass it with `grants.env`" };
  }
  const url = `${base}/rates/${from}/${to}`;
  let response;
  try {
    response = await fetch(url, { redirect: "manual" });
  } catch (error) {
    throw { tag: "failed", val: `GET ${url}: ${error}` };
  }
  log("info", `GET ${url}: ${response.status}`);
  if (response.status === 404) throw { tag: "invalid-input", val: `no rate from ${from} to ${to}` };
  if (response.status !== 200) throw { tag: "failed", val: `GET ${url}: HTTP ${response.status}` };
  let rate;
  try {
    rate = (await response.json()).rate;
  } catch (error) {
    throw { tag: "failed", val: `GET ${url}: the answer is not JSON: ${error}` };
  }
  if (typeof rate !== "number") throw { tag: "failed", val: `GET ${url}: no numeric \`rate\`` };
  const converted = Math.round(amount * rate * 100) / 100;
  return [
    { tag: "text", val: `${amount} ${from} = ${converted} ${to} (rate ${rate})` },
    { tag: "json", val: JSON.stringify({ amount: converted, currency: to, rate }) },
  ];
}

const READ_ONLY = { readOnly: true, destructive: false, idempotent: true };

export const tool = {
  origins() {
    const base = ratesApi();
    if (!base) return [];
    const url = new URL(base);
    return [`${url.protocol}//${url.hostname}:${url.port || (url.protocol === "https:" ? 443 : 80)}`];
  },

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
        hints: READ_ONLY,
      },
      {
        name: "convert_currency",
        description: "Converts an amount of money between currencies (ISO 4217 codes) at today's rate from the rates API.",
        inputSchema: JSON.stringify({
          type: "object",
          properties: {
            amount: { type: "number" },
            from: { type: "string", pattern: "^[A-Z]{3}$" },
            to: { type: "string", pattern: "^[A-Z]{3}$" },
          },
          required: ["amount", "from", "to"],
          additionalProperties: false,
        }),
        outputSchema: JSON.stringify({ type: "object", required: ["amount", "currency", "rate"] }),
        hints: READ_ONLY,
      },
    ];
  },

  async call(name, input) {
    let args;
    try {
      args = JSON.parse(input);
    } catch (error) {
      throw { tag: "invalid-input", val: `input is not JSON: ${error}` };
    }
    if (name === "convert_currency") return convertCurrency(args);
    if (name !== "convert_units") throw { tag: "invalid-input", val: `no tool named \`${name}\`` };
    const result = convert(args);
    log("debug", `converted ${args.value} ${args.from} to ${args.to}`);
    const rounded = Math.round(result * 1e6) / 1e6;
    return [
      { tag: "text", val: `${args.value} ${args.from} = ${rounded} ${args.to}` },
      { tag: "json", val: JSON.stringify({ value: rounded, unit: args.to }) },
    ];
  },
};
