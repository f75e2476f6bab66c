"""An Outrig tool plugin in Python: `greet` says hello. Build with `outrig plugin build`, try
with `outrig plugin call {{name}}.wasm greet '{"name":"Ada"}'`."""
import json

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import outrig_tool_types as types


class Tool(exports.Tool):
    def describe(self):
        return [
            types.ToolSpec(
                name="greet",
                description="Greets someone by name.",
                input_schema=json.dumps({
                    "type": "object",
                    "properties": {"name": {"type": "string", "minLength": 1}},
                    "required": ["name"],
                    "additionalProperties": False,
                }),
                output_schema=None,
                hints=types.Hints(read_only=True, destructive=False, idempotent=True),
            )
        ]

    def call(self, name, input):
        # The host has already checked `input` against the schema above.
        if name != "greet":
            raise Err(types.ToolError_InvalidInput(f"no tool named `{name}`"))
        return [types.Content_Text(f"Hello, {json.loads(input)['name']}!")]

    def origins(self):
        return []
