// Generated from outrig_api::plugin::ContractLimits by
// `OUTRIG_REGENERATE=1 cargo test -p outrig-api --test generated_js`. Do not edit.

/** The plugin contract's default limits (`outrig-host.toml` `[plugin.limits]`), in its names. */
export const DEFAULT_LIMITS = Object.freeze({
  timeout_ms: 30000,
  output_bytes: 1048576,
  output_blocks: 100,
  log_bytes: 65536,
  log_lines: 1000,
  max_tools: 128,
  max_description_bytes: 8192,
  max_schema_bytes: 65536,
});
