"""Validates every fixture in tests/fixtures against the official Python SDK's models
(anthropic==2.16.0), so the corpus the Rust tests use is known to be right.

A fixture passes when the SDK's pydantic model accepts it, picks the class whose `type`
matches, and finds no field it does not know (the SDK keeps unknown fields as extras, so
an extra means a typo or an invented field). Fixtures in unknown.jsonl must *not* be
fully known: they test forward compatibility.
"""
import json
import pathlib
import sys
import typing

from pydantic import BaseModel, TypeAdapter

from anthropic.types.beta.sessions.beta_managed_agents_stream_session_events import (
    BetaManagedAgentsStreamSessionEvents,
)
from anthropic.types.beta.sessions.beta_managed_agents_event_params import (
    BetaManagedAgentsEventParams,
)
from anthropic.types.beta.beta_managed_agents_agent import BetaManagedAgentsAgent
from anthropic.types.beta.beta_environment import BetaEnvironment
from anthropic.types.beta.beta_managed_agents_session import BetaManagedAgentsSession
from anthropic.types.beta.sessions.beta_managed_agents_session_thread import (
    BetaManagedAgentsSessionThread,
)
from anthropic.types.beta.sessions.beta_managed_agents_session_resource import (
    BetaManagedAgentsSessionResource,
)
from anthropic.types.beta.beta_file_metadata import BetaFileMetadata
from anthropic.types.beta_error_response import BetaErrorResponse

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"
MODELS = {
    "agent": BetaManagedAgentsAgent,
    "environment": BetaEnvironment,
    "session": BetaManagedAgentsSession,
    "session_thread": BetaManagedAgentsSessionThread,
    "file": BetaFileMetadata,
    "file_resource": BetaManagedAgentsSessionResource,
    "error": BetaErrorResponse,
}


# Places the SDK leaves open on purpose: JSON-Schema keywords of an input schema are
# round-tripped as given, and `error.details` is modelled only by the SDK's per-error-code
# classes (e.g. `environment_archived`), not by the generic error response.
OPEN_PATHS = (".input_schema", "$.error.details")


def extras(value, path="$"):
    """Yields the path of every field a model did not declare."""
    if any(path.endswith(open_path) for open_path in OPEN_PATHS):
        return
    if isinstance(value, BaseModel):
        for key in value.model_extra or {}:
            if not any(f"{path}.{key}".endswith(p) for p in OPEN_PATHS):
                yield f"{path}.{key}"
        for name in type(value).model_fields:
            yield from extras(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from extras(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from extras(item, f"{path}.{key}")


def check(adapter, raw, where):
    parsed = adapter.validate_python(raw)
    if isinstance(raw, dict) and "type" in raw and getattr(parsed, "type", None) != raw["type"]:
        raise AssertionError(f"{where}: SDK picked {type(parsed).__name__}")
    unknown = list(extras(parsed))
    return parsed, unknown


def main():
    failures = 0
    checked = 0
    stream = TypeAdapter(BetaManagedAgentsStreamSessionEvents)
    send = TypeAdapter(BetaManagedAgentsEventParams)
    for n, line in enumerate((FIXTURES / "events.jsonl").read_text().splitlines(), 1):
        raw = json.loads(line)
        try:
            _, unknown = check(stream, raw, f"events.jsonl:{n}")
            if unknown:
                raise AssertionError(f"fields unknown to the SDK: {unknown}")
            checked += 1
        except Exception as error:  # noqa: BLE001 - report every fixture
            failures += 1
            print(f"FAIL events.jsonl:{n} ({raw.get('type')}): {error}")
    for n, line in enumerate((FIXTURES / "unknown.jsonl").read_text().splitlines(), 1):
        raw = json.loads(line)
        try:
            _, unknown = check(stream, raw, f"unknown.jsonl:{n}")
        except Exception:  # noqa: BLE001 - rejected or reinterpreted: not fully known
            unknown = ["<rejected or reinterpreted>"]
        if not unknown:
            failures += 1
            print(f"FAIL unknown.jsonl:{n}: the SDK knows everything in it; it tests nothing")
        checked += 1
    for n, line in enumerate((FIXTURES / "objects.jsonl").read_text().splitlines(), 1):
        record = json.loads(line)
        model = record["model"]
        try:
            if model == "send":
                send.validate_python(record["value"])
                # Params are TypedDicts: check the keys against the declared ones.
                hints = [typing.get_type_hints(t) for t in typing.get_args(BetaManagedAgentsEventParams)]
                chosen = [h for h in hints if typing.get_args(h["type"])[0] == record["value"]["type"]]
                if len(chosen) != 1:
                    raise AssertionError("no params type for this event")
                extra = set(record["value"]) - set(chosen[0])
                if extra:
                    raise AssertionError(f"keys unknown to the SDK: {sorted(extra)}")
            else:
                _, unknown = check(TypeAdapter(MODELS[model]), record["value"], model)
                if unknown:
                    raise AssertionError(f"fields unknown to the SDK: {unknown}")
            checked += 1
        except Exception as error:  # noqa: BLE001
            failures += 1
            print(f"FAIL objects.jsonl:{n} ({model}): {error}")
    print(f"validated {checked} fixtures against anthropic {__import__('anthropic').__version__}: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
