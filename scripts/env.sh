# Shared settings for the project scripts (sourced, not run).
# The build cache lives outside the clone so a kept machine reuses it; a new machine
# simply starts with it empty.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/outrig/target}"
export OUTRIG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OUTRIG_VENV="${OUTRIG_VENV:-$HOME/.cache/outrig/venv}"
# The newest SDK (2.16.0), whose EnvironmentWorker is run against the emulator.
export OUTRIG_WORKER_VENV="${OUTRIG_WORKER_VENV:-$HOME/.cache/outrig/venv-sdk216}"
export OUTRIG_SDIST="${OUTRIG_SDIST:-$HOME/.cache/outrig/sdist/anthropic-2.16.0}" # the anthropic sdist (its generated tests)
# The official MCP Python SDK (`mcp`), the client `outrig host mcp` is tested with.
export OUTRIG_MCP_VENV="${OUTRIG_MCP_VENV:-$HOME/.cache/outrig/venv-mcp}"
