"""An Outrig tool plugin in Python (built with componentize-py): statistics of a list of
numbers."""
import json
import statistics

from wit_world import exports
from componentize_py_types import Err
from wit_world.imports import host, types


def _spec():
    return types.ToolSpec(
        name="describe_numbers",
        description="Summarises a list of numbers: count, sum, mean, median, standard deviation, min and max.",
        input_schema=json.dumps({
            "type": "object",
            "properties": {"values": {"type": "array", "items": {"type": "number"}, "minItems": 1}},
            "required": ["values"],
        }),
        output_schema=json.dumps({"type": "object"}),
        hints=types.Hints(read_only=True, destructive=False, idempotent=True),
    )


class Tool(exports.Tool):
    def describe(self):
        return [_spec()]

    def call(self, name, input):
        if name != "describe_numbers":
            raise Err(types.ToolError_InvalidInput(f"no tool named `{name}`"))
        try:
            values = json.loads(input)["values"]
        except (ValueError, KeyError, TypeError) as error:
            raise Err(types.ToolError_InvalidInput(f"expected {{\"values\": [numbers]}}: {error}"))
        if not values or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise Err(types.ToolError_InvalidInput("`values` must be a non-empty list of numbers"))
        summary = {
            "count": len(values),
            "sum": round(sum(values), 6),
            "mean": round(statistics.fmean(values), 6),
            "median": statistics.median(values),
            "stdev": round(statistics.stdev(values), 6) if len(values) > 1 else 0.0,
            "min": min(values),
            "max": max(values),
        }
        host.log(host.Level.INFO, f"summarised {len(values)} numbers")
        text = f"{summary['count']} numbers, mean {summary['mean']}, median {summary['median']}, from {summary['min']} to {summary['max']}"
        return [types.Content_Text(text), types.Content_Json(json.dumps(summary))]
