"""Real objects for the official SDK's generated tests (see generated_suite.py): each test's
made-up ids are replaced by `real(kind)`, which creates the object on the emulator the
first time a test asks for a kind, so every test gets its own agent, session, vault… and a
test that deletes one never breaks another. Objects a kind needs (a credential's vault,
a memory's store) are the test's own of that kind."""
import inspect
import os
import re
import time

import anthropic
import pytest

from certificates import CA_PEM

_objects = {}


def _client():
    return anthropic.Anthropic(base_url=os.environ["TEST_API_BASE_URL"], api_key="my-anthropic-api-key", max_retries=0)


SKILL = b"---\nname: invoice-helper\ndescription: Reads invoices.\n---\nRead the invoice.\n"


def _create(kind):
    beta = _client().beta
    if kind == "agent":
        return beta.agents.create(name="generated", model="claude-opus-4-6").id
    if kind == "helper":
        return beta.agents.create(name="helper", model="claude-haiku-4-5").id
    if kind == "lead":
        return beta.agents.create(name="lead", model="claude-opus-4-6",
                                  multiagent={"type": "coordinator", "agents": [real("helper")]}).id
    if kind == "environment":
        return beta.environments.create(name="generated").id
    if kind == "self_hosted_environment":
        # Its work queue has items (environments/test_work.py).
        return beta.environments.create(name="generated", config={"type": "self_hosted"}).id
    if kind == "session":
        # A multi-agent session (it has threads) with a repository (a resource that can be
        # updated).
        return beta.sessions.create(agent=real("lead"), environment_id=real("environment"), resources=[{
            "type": "github_repository", "url": "https://github.com/example/repo", "authorization_token": "ghp_x"}]).id
    if kind == "thread":
        # A sub-thread: the lead delegates to its helper.
        session = real("session")
        beta.sessions.events.send(session, events=[{"type": "user.message", "content": [{"type": "text", "text": "delegate helper\nsay hello"}]}])
        for _ in range(200):
            threads = beta.sessions.threads.list(session).data
            children = [t for t in threads if t.parent_thread_id]
            if children:
                return children[0].id
            time.sleep(0.02)
        raise RuntimeError("the session never delegated")
    if kind == "resource":
        return beta.sessions.resources.list(real("session")).data[0].id
    if kind == "work":
        beta.sessions.create(agent=real("agent"), environment_id=real("self_hosted_environment"))
        return beta.environments.work.poll(real("self_hosted_environment"), block_ms=900).id
    if kind == "vault":
        return beta.vaults.create(display_name="generated").id
    if kind == "credential":
        # An OAuth one: it can be validated, and updated with OAuth fields.
        return beta.vaults.credentials.create(real("vault"), auth={
            "type": "mcp_oauth", "access_token": "at", "mcp_server_url": "https://mcp.example.com/mcp",
            "refresh": {"client_id": "c", "refresh_token": "rt", "token_endpoint": "https://auth.example.com/token",
                        "token_endpoint_auth": {"type": "client_secret_post", "client_secret": "cs"}}}).id
    if kind == "memory_store":
        return beta.memory_stores.create(name="generated").id
    if kind == "memory":
        return beta.memory_stores.memories.create(real("memory_store"), path="/notes.md", content="x").id
    if kind == "memory_version":
        real("memory")
        return beta.memory_stores.memory_versions.list(real("memory_store")).data[0].id
    if kind == "file":
        return beta.files.upload(file=("notes.txt", b"hello", "text/plain")).id
    if kind == "deployment":
        return beta.deployments.create(name="generated", agent=real("agent"), environment_id=real("environment"),
                                       initial_events=[{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}]).id
    if kind == "skill_version":
        return beta.skills.versions.list(real("skill")).data[0].id
    if kind == "deployment_run":
        return beta.deployments.run(real("deployment")).id
    if kind == "dream":
        return beta.dreams.create(inputs=[{"type": "memory_store", "memory_store_id": real("memory_store")},
                                          {"type": "sessions", "session_ids": [real("session")]}],
                                  model="claude-opus-4-6").id
    if kind == "tunnel":
        return beta.tunnels.create(display_name="generated").id
    if kind == "certificate":
        return beta.tunnels.certificates.create(real("tunnel"), ca_certificate_pem=CA_PEM).id
    if kind == "skill":
        return beta.skills.create(display_name="generated", files=[("invoice-helper/SKILL.md", SKILL)]).id
    if kind == "webhook_endpoint":
        return beta.organization.webhooks.create(url="https://hooks.example.com/generated",
                                                  enabled_events=["external_key.failed"], name="generated").id
    raise KeyError(f"no real object for `{kind}`")


def real(kind):
    """The id of this test's object of `kind`, created on first use."""
    if kind not in _objects:
        _objects[kind] = _create(kind)
    return _objects[kind]


@pytest.fixture(autouse=True)
def fresh_real_objects(request):
    """Each test starts with none: it creates its own. A test that mocks HTTP (respx) gets
    them before its mock is in place."""
    _objects.clear()
    if "respx_mock" in request.fixturenames:
        for kind in re.findall(r"""_real\(["'](\w+)["']\)""", inspect.getsource(request.function)):
            real(kind)
    yield
    _objects.clear()

