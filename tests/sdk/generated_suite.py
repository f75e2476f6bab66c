"""Runs the official Python SDK's own generated tests for the Managed Agents endpoints
(`tests/api_resources/beta` of the anthropic==2.16.0 sdist, which its authors run against a
mock server) against `outrig emulator`, in strict response validation. The tests' made-up
ids are replaced by real objects (real_objects.py): a keyword argument or JSON key naming an
id (`session_id="sesn_011…"`, `"memory_store_id": "memory_store_id"`) and any literal id of a
known prefix become `real(kind)`, also in the URLs of the few tests that mock a download.
Nothing else of the tests is changed. The inputs the API itself refuses are listed, with
their reasons, in expected_refusals.py; any other failure is a fidelity failure, and the
run fails unless there are none.

    python generated_suite.py [SDIST_DIR] [-- pytest args]
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from emulator_process import Emulator

HERE = pathlib.Path(__file__).resolve().parent
SDIST = pathlib.Path(os.environ.get("OUTRIG_SDIST", pathlib.Path.home() / ".cache/outrig/sdist/anthropic-2.16.0"))

# The Managed Agents families of the generated tests.
FILES = [
    "test_agents.py", "agents/test_versions.py",
    "test_environments.py", "environments/test_work.py",
    "test_sessions.py", "sessions/test_events.py", "sessions/test_resources.py",
    "sessions/test_threads.py", "sessions/threads/test_events.py",
    "test_vaults.py", "vaults/test_credentials.py",
    "test_memory_stores.py", "memory_stores/test_memories.py", "memory_stores/test_memory_versions.py",
    "test_deployments.py", "test_deployment_runs.py", "test_dreams.py",
    "test_tunnels.py", "tunnels/test_certificates.py",
    "test_skills.py", "skills/test_versions.py",
    "test_files.py", "organization/test_webhooks.py",
]

# Keyword or key naming an id -> the kind of real object.
KEYS = {
    "agent_id": "agent", "environment_id": "environment", "session_id": "session",
    "thread_id": "thread", "session_thread_id": "thread", "vault_id": "vault",
    "credential_id": "credential", "memory_store_id": "memory_store", "memory_id": "memory",
    "memory_version_id": "memory_version", "deployment_id": "deployment",
    "deployment_run_id": "deployment_run", "resource_id": "resource", "file_id": "file",
    "skill_id": "skill", "tunnel_id": "tunnel", "certificate_id": "certificate",
    "dream_id": "dream", "work_id": "work", "webhook_endpoint_id": "webhook_endpoint",
    "agent": "agent",
}
# A literal id's prefix -> the kind.
PREFIXES = {
    "agent": "agent", "env": "environment", "sesn": "session", "sthr": "thread", "vlt": "vault",
    "vcrd": "credential", "memstore": "memory_store", "mem": "memory", "memver": "memory_version",
    "depl": "deployment", "sesrsc": "resource", "file": "file",
}


def rewrite(source, name):
    """The test source with its made-up ids replaced by real objects."""
    keys = "|".join(KEYS)
    if name == "environments/test_work.py":
        source = re.sub(r'\benvironment_id="[^"]+"', 'environment_id=_real("self_hosted_environment")', source)
    if name == "skills/test_versions.py":
        source = re.sub(r'\bversion="[^"]+"', 'version=_real("skill_version")', source)
    # The URLs of mocked downloads name the same objects.
    def mocked(match):
        segments = [f"{{_real('{KEYS[s]}')}}" if s in KEYS else s for s in match.group(2).split("/")]
        if name == "skills/test_versions.py":
            segments = ["{_real('skill_version')}" if s == "version" else s for s in segments]
        return f'respx_mock.{match.group(1)}(f"{"/".join(segments)}"'
    source = re.sub(r'respx_mock\.(get|post)\("([^"]+)"', mocked, source)
    # Lists of made-up vault ids.
    source = re.sub(r'(\bvault_ids=|"vault_ids": )\["[^"]+"\]', r'\1[_real("vault")]', source)
    # keyword=..., "key": ...  (an empty string stays: those tests check the client's own refusal)
    source = re.sub(rf'\b({keys})=("[^"]+")', lambda m: f'{m.group(1)}=_real("{KEYS[m.group(1)]}")', source)
    source = re.sub(rf'"({keys})": ("[^"]+")', lambda m: f'"{m.group(1)}": _real("{KEYS[m.group(1)]}")', source)
    prefixes = "|".join(sorted(PREFIXES, key=len, reverse=True))
    source = re.sub(rf'"({prefixes})_0[0-9A-Za-z]{{8,}}"', lambda m: f'_real("{PREFIXES[m.group(1)]}")', source)
    return source.replace("from __future__ import annotations\n",
                          "from __future__ import annotations\n\nfrom real_objects import real as _real\n", 1)


def prepare(work):
    tests = SDIST / "tests"
    shutil.copytree(tests, work / "tests", ignore=shutil.ignore_patterns("api_resources"))
    beta = work / "tests/api_resources/beta"
    for name in ["api_resources/__init__.py", "api_resources/beta/__init__.py"]:
        (work / "tests" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(tests / name, work / "tests" / name)
    for name in FILES:
        target = beta / name
        target.parent.mkdir(parents=True, exist_ok=True)
        init = (tests / "api_resources/beta" / name).parent / "__init__.py"
        shutil.copy(init, target.parent / "__init__.py")
        target.write_text(rewrite((tests / "api_resources/beta" / name).read_text(), name))
    return [str(beta / name) for name in FILES]


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[: args.index("--")]
    global SDIST
    if args:
        SDIST = pathlib.Path(args[0])
    if not (SDIST / "tests/api_resources/beta").is_dir():
        sys.exit(f"{SDIST}: not an unpacked anthropic sdist (scripts/setup.sh downloads it)")
    with tempfile.TemporaryDirectory() as work, Emulator() as emulator:
        work = pathlib.Path(work)
        files = prepare(work)
        env = dict(os.environ, TEST_API_BASE_URL=emulator.base_url,
                   PYTHONPATH=os.pathsep.join([str(HERE), str(work)]))
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                   "-p", "tests._alias_httpx", "-p", "real_objects", "-p", "expected_refusals", "-o", "asyncio_mode=auto",
                   "-o", "asyncio_default_fixture_loop_scope=session", *files, *extra]
        report = work / "outcomes.json"
        env.setdefault("OUTRIG_GENERATED_REPORT", str(report))
        result = subprocess.run(command, cwd=work, env=env)
        summarize(pathlib.Path(env["OUTRIG_GENERATED_REPORT"]))
        sys.exit(result.returncode)


def summarize(report):
    """Prints what ran: passed, refused as the API would (by reason), fidelity failures."""
    import collections
    import json
    outcomes = [o for part in sorted(report.parent.glob(report.name + ".*")) for o in json.loads(part.read_text())]
    counts = collections.Counter(o["outcome"] for o in outcomes)
    print(f"\ngenerated tests: {counts['passed']} passed, {counts['refused']} refused as the API would, "
          f"{counts['failed']} fidelity failures")
    for outcome in outcomes:
        if outcome["outcome"] == "failed":
            print(f"  FIDELITY FAILURE {outcome['test']}: {outcome['error']}: {outcome['message']}")


if __name__ == "__main__":
    main()
