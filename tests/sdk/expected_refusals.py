"""The generated tests' inputs the API itself refuses, each with where the rule comes from.
The generated tests are written for a mock server that answers anything; a few send values
a real server cannot accept (a cursor it never issued, version 0, a placeholder
certificate). A failure of one of these tests counts as the refusal it should be only when
the emulator answers with a 4xx carrying the listed reason; any other failure, or one of
these tests passing, fails the run. Every outcome is written to
OUTRIG_GENERATED_REPORT.<worker>."""
import json
import os
import re

import anthropic
import pytest

# (test id pattern, a fragment of the emulator's message, why the API refuses it)
# A test of `call` by any of the three ways the generated tests make it.
def calls(file, call):
    return rf"{file}::Test\w+::test_(method|raw_response|streaming_response)_{call}(_with_all_params)?\["


REFUSALS = [
    (r"organization/test_webhooks\.py::.*::test_method_list_with_all_params\[", "no webhook endpoint `after_id` to page from",
     "the test pages from `after_id`, an endpoint that does not exist"),
    (r"::test_method_list_with_all_params\[", "cursor `page` is not valid",
     "the test pages from `page`, a cursor the API never issued"),
    (r"test_agents\.py::.*::test_method_retrieve_with_all_params\[", "`version` must be an integer ≥ 1, got `0`",
     "agent versions start at 1 (GET /v1/agents/{id}: query `version`, int ≥ 1)"),
    (r"test_deployments\.py::.*::test_method_create_with_all_params\[", "@0` not found",
     "the test pins agent version 0; versions start at 1"),
    (r"test_memories\.py::.*::test_method_(update|delete)_with_all_params\[", "content_sha256",
     "a made-up `content_sha256` precondition, which the stored memory does not have"),
    (r"test_work\.py::.*::test_method_heartbeat_with_all_params\[", "does not match the lease",
     "a made-up `expected_last_heartbeat` precondition, which the work item does not have"),
    (r"organization/test_webhooks\.py::.*::test_method_update_with_all_params\[", "must be an https:// URL",
     "the SDK: `url` is the HTTPS URL deliveries are sent to; the test sends `x`"),
    (r"test_sessions\.py::.*::test_method_update_with_all_params\[", "`vault_ids` cannot be updated",
     "the SDK: updating `vault_ids` is not yet supported; requests setting it are rejected"),
    (calls("test_dreams\\.py", "create"), "exactly one `memory_store` entry and exactly one `sessions` entry",
     "the SDK: `inputs` is exactly one memory_store entry and exactly one sessions entry; the test sends one"),
    (calls("(test_skills|skills/test_versions)\\.py", "create"), "no `files` part with a filename",
     "the test uploads bytes with no path, so there is no SKILL.md at the root of a directory"),
    (calls("test_skills\\.py", "delete"), "still has 1 version(s); delete them first",
     "a skill is deleted once its versions are deleted"),
    (calls("test_certificates\\.py", "create"), "is not a PEM `CERTIFICATE` block",
     "the SDK: a PEM-encoded X.509 CA certificate; the test sends a placeholder string"),
]

_outcomes = []


def _refusal(nodeid):
    return next((r for r in REFUSALS if re.search(r[0], nodeid)), None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" and not report.failed:
        return
    refusal = _refusal(item.nodeid) if report.when == "call" else None
    error = call.excinfo.value if call.excinfo is not None else None
    if refusal is not None:
        refused = (isinstance(error, anthropic.APIStatusError) and 400 <= error.status_code < 500
                   and refusal[1] in str(error))
        if refused:
            report.outcome = "skipped"
            report.wasxfail = f"refused as the API would: {refusal[2]}"
        elif report.passed:
            report.outcome = "failed"
            report.longrepr = f"expected a refusal ({refusal[2]}), but the emulator accepted it"
    _outcomes.append({
        "test": item.nodeid, "when": report.when,
        "outcome": "refused" if getattr(report, "wasxfail", None) else report.outcome,
        "error": type(error).__name__ if error is not None else None,
        "message": str(error)[:400] if error is not None else None,
    })


def pytest_sessionfinish(session):
    """Writes this process's outcomes to OUTRIG_GENERATED_REPORT.<worker> (one file per
    pytest-xdist worker; the controller runs no test)."""
    path = os.environ.get("OUTRIG_GENERATED_REPORT")
    if path and _outcomes:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(f"{path}.{worker}", "w") as out:
            json.dump(_outcomes, out, indent=1)
