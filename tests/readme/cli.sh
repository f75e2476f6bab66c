# Start the emulator, create an agent, register the plugins' tools on it, and talk to it.
outrig emulator --db :memory: &
sleep 1
AGENT=$(outrig agents create --name Bookkeeper --json | jq -r .id)
outrig host register --config tests/readme/outrig-host.toml --agent "$AGENT"
ENV=$(outrig environments create --name local --json | jq -r .id)
SESSION=$(outrig sessions create --agent "$AGENT" --environment "$ENV" --json | jq -r .id)
outrig host run --config tests/readme/outrig-host.toml --session "$SESSION" &
outrig sessions send "$SESSION" 'call units_convert_units {"value": 10, "from": "km", "to": "mi"}'
sleep 2
outrig sessions events "$SESSION"
