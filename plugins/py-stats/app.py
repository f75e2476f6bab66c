"""An Outrig tool plugin in Python (built with componentize-py): statistics of a list of
numbers, given directly or fetched from the metrics API named by `STATS_API_URL` (which the
operator passes with `grants.env` and allows with `grants.network`)."""
import json
import os
import statistics

from wit_world import exports
from componentize_py_types import Err
from wit_world.imports import host, outgoing_handler, streams
from wit_world.imports import outrig_tool_types as types
from wit_world.imports import wasi_http_types as http

READ_ONLY = types.Hints(read_only=True, destructive=False, idempotent=True)


def _specs():
    return [
        types.ToolSpec(
            name="describe_numbers",
            description="Summarises a list of numbers: count, sum, mean, median, standard deviation, min and max.",
            input_schema=json.dumps({
                "type": "object",
                "properties": {"values": {"type": "array", "items": {"type": "number"}, "minItems": 1}},
                "required": ["values"],
            }),
            output_schema=json.dumps({"type": "object", "required": ["count", "mean"]}),
            hints=READ_ONLY,
        ),
        types.ToolSpec(
            name="describe_series",
            description="Fetches a named metric series from the metrics API and summarises it like describe_numbers.",
            input_schema=json.dumps({
                "type": "object",
                "properties": {"series": {"type": "string", "pattern": "^[a-z0-9_-]{1,40}$"}},
                "required": ["series"],
                "additionalProperties": False,
            }),
            output_schema=json.dumps({"type": "object", "required": ["count", "mean"]}),
            hints=READ_ONLY,
        ),
    ]


def _invalid(message):
    return Err(types.ToolError_InvalidInput(message))


def _failed(message):
    return Err(types.ToolError_Failed(message))


def _summarise(values):
    if not values or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise _invalid("`values` must be a non-empty list of numbers")
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


def _get(url):
    """A blocking GET through wasi:http: the host sends it only to granted origins."""
    scheme, _, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    request = http.OutgoingRequest(http.Fields())
    request.set_method(http.Method_Get())
    request.set_scheme(http.Scheme_Https() if scheme == "https" else http.Scheme_Http())
    request.set_authority(authority)
    request.set_path_with_query(slash + path or "/")
    try:
        pending = outgoing_handler.handle(request, None)
    except Err as error:
        raise _failed(f"GET {url}: {error.value}")
    pending.subscribe().block()
    answer = pending.get()
    if isinstance(answer.value, Err):
        raise _failed(f"GET {url}: {answer.value.value}")
    response = answer.value.value
    body = response.consume()
    stream = body.stream()
    chunks = []
    while True:
        try:
            chunks.append(stream.blocking_read(65536))
        except Err as error:
            if isinstance(error.value, streams.StreamError_Closed):
                break
            raise _failed(f"GET {url}: reading the body: {error.value.value.to_debug_string()}")
    return response.status(), b"".join(chunks)


def _api_base():
    base = os.environ.get("STATS_API_URL")
    if not base:
        raise _failed("STATS_API_URL is not set: the operator must pass it with `grants.env`")
    return base.rstrip("/")


class Tool(exports.Tool):
    def describe(self):
        return _specs()

    def origins(self):
        base = os.environ.get("STATS_API_URL")
        if not base:
            return []
        scheme, _, rest = base.partition("://")
        authority = rest.split("/")[0]
        if ":" not in authority:
            authority += ":443" if scheme == "https" else ":80"
        return [f"{scheme}://{authority}"]

    def call(self, name, input):
        try:
            args = json.loads(input)
        except ValueError as error:
            raise _invalid(f"input is not JSON: {error}")
        if name == "describe_numbers":
            return _summarise(args.get("values"))
        if name == "describe_series":
            url = f"{_api_base()}/series/{args['series']}"
            status, body = _get(url)
            host.log(host.Level.INFO, f"GET {url}: {status}")
            if status == 404:
                raise _invalid(f"no series `{args['series']}`")
            if status != 200:
                raise _failed(f"GET {url}: HTTP {status}")
            try:
                values = json.loads(body)["values"]
            except (ValueError, KeyError, TypeError) as error:
                raise _failed(f"GET {url}: expected {{\"values\": [numbers]}}: {error}")
            return _summarise(values)
        raise _invalid(f"no tool named `{name}`")
