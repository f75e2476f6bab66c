"""The official Python SDK (anthropic==2.16.0) against the emulator for the rest of the
API (spec part 2): vaults and credentials, the self-hosted work queue, deployments and
their runs (a cron schedule that really fires), memory stores, memories and versions,
dreams, MCP tunnels, skills and organization webhook endpoints. Every client validates responses strictly, so a response
shape the SDK's models reject fails the test."""
import base64
import hashlib
import io
import json
import ssl
import time
import unittest
import zipfile

import anthropic

from certificates import CA_PEM
from emulator_process import ROOT, Emulator

SCENARIOS = ROOT / "tests" / "scenarios"

KEY = "sk-test-outrig"
HELLO = [{"type": "user.message", "content": [{"type": "text", "text": "hello"}]}]


class PartTwoAgainstEmulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator("--api-key", KEY, "--scenarios", str(SCENARIOS)).__enter__()
        cls.client = anthropic.Anthropic(
            api_key=KEY, base_url=cls.emulator.base_url, max_retries=0, _strict_response_validation=True
        )
        beta = cls.client.beta
        cls.agent = beta.agents.create(name="part two", model="claude-opus-4-6")
        cls.environment = beta.environments.create(name="cloud")
        # Created first, so that its every-minute schedule has fired twice by the last test.
        cls.scheduled = beta.deployments.create(
            name="every minute", agent=cls.agent.id, environment_id=cls.environment.id,
            initial_events=HELLO, schedule={"type": "cron", "expression": "* * * * *", "timezone": "Europe/Paris"},
        )

    @classmethod
    def tearDownClass(cls):
        cls.emulator.__exit__(None, None, None)

    def test_organization_webhook_endpoints_show_their_secret_only_when_made(self):
        webhooks = self.client.beta.organization.webhooks
        made = [
            webhooks.create(url=f"https://hooks.example.com/{i}", enabled_events=["external_key.failed"], name=f"n{i}")
            for i in range(3)
        ]
        self.assertTrue(all(m.signing_secret.startswith("whsec_") for m in made))
        first = made[0]
        self.assertEqual((first.state, first.description, first.disabled_reason), ("enabled", "", ""))
        got = webhooks.retrieve(first.id)
        self.assertEqual((got.url, got.name, got.enabled_events), ("https://hooks.example.com/0", "n0", ["external_key.failed"]))
        self.assertNotIn("signing_secret", got.model_dump())
        updated = webhooks.update(first.id, state="disabled", description="paused for maintenance",
                                  enabled_events=["user_profile.program_status_updated", "external_storage.failed"])
        self.assertEqual((updated.state, updated.description), ("disabled", "paused for maintenance"))
        self.assertEqual(updated.enabled_events, ["user_profile.program_status_updated", "external_storage.failed"])
        rotated = webhooks.regenerate_signing_secret(first.id)
        self.assertTrue(rotated.signing_secret.startswith("whsec_"))
        self.assertNotEqual(rotated.signing_secret, first.signing_secret)
        # Pages of one by after_id, newest first, reach every endpoint once.
        ids = [e.id for e in webhooks.list(limit=1)]
        self.assertEqual(ids[:3], [m.id for m in reversed(made)])
        page = webhooks.list(limit=2, order="asc")
        self.assertEqual((page.has_more, page.first_id), (True, made[0].id))
        before = webhooks.list(before_id=made[2].id, order="asc")
        self.assertEqual([e.id for e in before.data], [made[0].id, made[1].id])
        self.assertEqual(webhooks.delete(first.id).type, "webhook_endpoint_deleted")
        with self.assertRaises(anthropic.NotFoundError):
            webhooks.retrieve(first.id)
        for bad in [dict(url="http://plain.example.com", enabled_events=["external_key.failed"]),
                    dict(url="https://hooks.example.com", enabled_events=[]),
                    dict(url="https://hooks.example.com", enabled_events=["session.status_idle"])]:
            with self.assertRaises(anthropic.BadRequestError):
                webhooks.create(**bad)

    def test_vaults_and_credentials_never_return_secrets(self):
        vaults = self.client.beta.vaults
        vault = vaults.create(display_name="Team secrets", metadata={"team": "billing"})
        self.assertEqual((vault.type, vault.display_name, vault.metadata), ("vault", "Team secrets", {"team": "billing"}))
        self.assertEqual(vaults.update(vault.id, metadata={"team": None}).metadata, {})
        bearer = vaults.credentials.create(
            vault.id, display_name="Linear", auth={"type": "static_bearer", "token": "lin_SECRET_1", "mcp_server_url": "https://mcp.linear.app/mcp"},
        )
        oauth = vaults.credentials.create(vault.id, auth={
            "type": "mcp_oauth", "access_token": "at_SECRET_2", "mcp_server_url": "https://mcp.example.com",
            "refresh": {"client_id": "c", "refresh_token": "rt_SECRET_3", "token_endpoint": "https://auth.example.com/token",
                        "token_endpoint_auth": {"type": "client_secret_post", "client_secret": "cs_SECRET_4"}},
        })
        env_var = vaults.credentials.create(vault.id, auth={
            "type": "environment_variable", "secret_name": "STRIPE_KEY", "secret_value": "sk_SECRET_5",
            "networking": {"type": "limited", "allowed_hosts": ["api.stripe.com"]},
        })
        self.assertEqual(env_var.auth.networking.allowed_hosts, ["api.stripe.com"])
        self.assertEqual(oauth.auth.refresh.token_endpoint_auth.type, "client_secret_post")
        updated = vaults.credentials.update(bearer.id, vault_id=vault.id, auth={"type": "static_bearer", "token": "lin_SECRET_6"})
        self.assertEqual(updated.auth.mcp_server_url, "https://mcp.linear.app/mcp")
        listed = vaults.credentials.list(vault.id)
        raw = json.dumps([c.model_dump(mode="json") for c in listed.data]) + updated.model_dump_json()
        for secret in ["SECRET_1", "SECRET_2", "SECRET_3", "SECRET_4", "SECRET_5", "SECRET_6"]:
            self.assertNotIn(secret, raw)
        validation = vaults.credentials.mcp_oauth_validate(oauth.id, vault_id=vault.id)
        self.assertEqual((validation.status, validation.has_refresh_token), ("unknown", True))
        with self.assertRaises(anthropic.BadRequestError):
            vaults.credentials.mcp_oauth_validate(bearer.id, vault_id=vault.id)
        with self.assertRaises(anthropic.BadRequestError) as missing:
            vaults.credentials.create(vault.id, auth={"type": "static_bearer", "mcp_server_url": "https://x"})
        self.assertIn("auth.token", missing.exception.message)
        archived = vaults.credentials.archive(env_var.id, vault_id=vault.id)
        self.assertIsNotNone(archived.archived_at)
        self.assertEqual(len(vaults.credentials.list(vault.id).data), 2)
        self.assertEqual(len(vaults.credentials.list(vault.id, include_archived=True).data), 3)
        self.assertEqual(vaults.credentials.delete(bearer.id, vault_id=vault.id).type, "vault_credential_deleted")
        with self.assertRaises(anthropic.NotFoundError):
            vaults.credentials.retrieve(bearer.id, vault_id=vault.id)
        # Sessions may only name vaults that exist.
        with self.assertRaises(anthropic.NotFoundError):
            self.client.beta.sessions.create(agent=self.agent.id, environment_id=self.environment.id, vault_ids=["vlt_missing"])
        session = self.client.beta.sessions.create(agent=self.agent.id, environment_id=self.environment.id, vault_ids=[vault.id])
        self.assertEqual(session.vault_ids, [vault.id])
        self.assertIsNotNone(vaults.archive(vault.id).archived_at)
        self.assertNotIn(vault.id, [v.id for v in vaults.list()])
        self.assertEqual(vaults.delete(vault.id).type, "vault_deleted")

    def test_session_resources_are_resolved_and_tokens_never_echoed(self):
        store = self.client.beta.memory_stores.create(name="notes")
        session = self.client.beta.sessions.create(
            agent=self.agent.id, environment_id=self.environment.id,
            resources=[
                {"type": "github_repository", "url": "https://github.com/acme/widgets.git", "authorization_token": "ghp_SECRET"},
                {"type": "memory_store", "memory_store_id": store.id, "access": "read_only"},
            ],
        )
        repo, memory = session.resources
        self.assertEqual(repo.mount_path, "/workspace/widgets")
        self.assertTrue(repo.id.startswith("sesrsc_"))
        self.assertEqual((memory.memory_store_id, memory.access), (store.id, "read_only"))
        self.assertNotIn("ghp_SECRET", self.client.beta.sessions.retrieve(session.id).model_dump_json())
        rotated = self.client.beta.sessions.resources.update(repo.id, session_id=session.id, authorization_token="ghp_SECRET2")
        self.assertNotIn("SECRET", rotated.model_dump_json())
        listed = self.client.beta.sessions.list(memory_store_id=store.id)
        self.assertEqual([s.id for s in listed.data], [session.id])
        with self.assertRaises(anthropic.NotFoundError):
            self.client.beta.sessions.create(agent=self.agent.id, environment_id=self.environment.id,
                                             resources=[{"type": "memory_store", "memory_store_id": "memstore_missing"}])

    def test_self_hosted_work_queue(self):
        beta = self.client.beta
        environment = beta.environments.create(name="on-prem", config={"type": "self_hosted"})
        work = beta.environments.work
        self.assertIsNone(work.poll(environment.id, block_ms=50))
        session = beta.sessions.create(agent=self.agent.id, environment_id=environment.id)
        stats = work.stats(environment.id)
        self.assertEqual((stats.depth, stats.pending), (1, 0))
        item = work.poll(environment.id, block_ms=500, anthropic_worker_id="worker-1")
        self.assertEqual((item.state, item.data.type, item.data.id), ("queued", "session", session.id))
        secret = json.loads(base64.urlsafe_b64decode(item.secret + "=" * (-len(item.secret) % 4)))
        self.assertTrue(secret["sessions_token"].startswith("sk-ant-req-"))
        self.assertIsNone(work.retrieve(item.id, environment_id=environment.id).secret)
        stats = work.stats(environment.id)
        self.assertEqual((stats.depth, stats.pending, stats.workers_polling), (0, 1, 1))
        self.assertIsNone(work.poll(environment.id, block_ms=20), "a polled item is not offered twice")
        acked = work.ack(item.id, environment_id=environment.id)
        self.assertEqual(acked.state, "starting")
        with self.assertRaises(anthropic.ConflictError):
            work.ack(item.id, environment_id=environment.id)
        first = work.heartbeat(item.id, environment_id=environment.id, expected_last_heartbeat="NO_HEARTBEAT", desired_ttl_seconds=30)
        self.assertEqual((first.state, first.lease_extended, first.ttl_seconds), ("active", True, 30))
        with self.assertRaises(anthropic.APIStatusError) as stale:
            work.heartbeat(item.id, environment_id=environment.id, expected_last_heartbeat="NO_HEARTBEAT")
        self.assertEqual(stale.exception.status_code, 412)
        self.assertEqual(stale.exception.body["error"]["details"]["current_state"]["last_heartbeat"], first.last_heartbeat)
        second = work.heartbeat(item.id, environment_id=environment.id, expected_last_heartbeat=first.last_heartbeat,
                                desired_ttl_seconds=1)
        self.assertTrue(second.lease_extended)
        # The worker stops heartbeating: once its lease lapses the item is queued again, and
        # another worker polls it.
        time.sleep(1.3)
        self.assertEqual(work.retrieve(item.id, environment_id=environment.id).state, "queued")
        retaken = work.poll(environment.id, block_ms=500, anthropic_worker_id="worker-2")
        self.assertEqual(retaken.id, item.id)
        self.assertEqual(work.ack(item.id, environment_id=environment.id).state, "starting")
        self.assertEqual(work.update(item.id, environment_id=environment.id, metadata={"host": "rack-7"}).metadata, {"host": "rack-7"})
        stopped = work.stop(item.id, environment_id=environment.id)
        self.assertEqual(stopped.state, "stopped")
        self.assertFalse(work.heartbeat(item.id, environment_id=environment.id).lease_extended)
        self.assertEqual([w.id for w in work.list(environment.id)], [item.id])
        # A new message on the session queues new work, which a blocked poll receives.
        beta.sessions.events.send(session.id, events=HELLO)
        again = work.poll(environment.id, block_ms=900)
        self.assertNotEqual(again.id, item.id)
        with self.assertRaises(anthropic.BadRequestError):
            work.poll(environment.id, block_ms=5000)
        with self.assertRaises(anthropic.BadRequestError):
            work.poll(self.environment.id, block_ms=10)

    def test_manual_runs_create_sessions_and_errors_pause(self):
        beta = self.client.beta
        agent = beta.agents.create(name="doomed", model="claude-haiku-4-5")
        deployment = beta.deployments.create(
            name="nightly", description="report", agent=agent.id, environment_id=self.environment.id,
            initial_events=HELLO + [{"type": "system.message", "content": [{"type": "text", "text": "be brief"}]}],
        )
        self.assertEqual((deployment.status, deployment.agent.version, deployment.schedule), ("active", agent.version, None))
        run = beta.deployments.run(deployment.id)
        self.assertEqual((run.trigger_context.type, run.error), ("manual", None))
        session = beta.sessions.retrieve(run.session_id)
        self.assertEqual(session.deployment_id, deployment.id)
        self.assertEqual([s.id for s in beta.sessions.list(deployment_id=deployment.id).data], [session.id])
        self.assertEqual(beta.deployment_runs.retrieve(run.id).session_id, session.id)
        paused = beta.deployments.pause(deployment.id)
        self.assertEqual((paused.status, paused.paused_reason.type), ("paused", "manual"))
        self.assertEqual(beta.deployments.unpause(deployment.id).status, "active")
        beta.agents.archive(agent.id)
        failed = beta.deployments.run(deployment.id)
        self.assertIsNone(failed.session_id)
        self.assertEqual(failed.error.type, "agent_archived_error")
        after = beta.deployments.retrieve(deployment.id)
        self.assertEqual((after.status, after.paused_reason.type, after.paused_reason.error.type), ("paused", "error", "agent_archived_error"))
        self.assertEqual([r.id for r in beta.deployment_runs.list(deployment_id=deployment.id, has_error=True)], [failed.id])
        self.assertEqual(beta.deployments.update(deployment.id, name="renamed").name, "renamed")
        self.assertIsNotNone(beta.deployments.archive(deployment.id).archived_at)
        with self.assertRaises(anthropic.BadRequestError):
            beta.deployments.run(deployment.id)
        for bad in [{"type": "cron", "expression": "*/5 * * * * *", "timezone": "UTC"},
                    {"type": "cron", "expression": "0 9 * * *", "timezone": "Mars/Olympus"}]:
            with self.assertRaises(anthropic.BadRequestError):
                beta.deployments.create(name="x", agent=self.agent.id, environment_id=self.environment.id, initial_events=HELLO, schedule=bad)
        with self.assertRaises(anthropic.BadRequestError):
            beta.deployments.create(name="x", agent=self.agent.id, environment_id=self.environment.id,
                                    initial_events=[{"type": "user.interrupt"}])

    def test_memories_versions_and_preconditions(self):
        stores = self.client.beta.memory_stores
        store = stores.create(name="prefs", description="what the user likes")
        memories = stores.memories
        first = memories.create(store.id, path="/projects/outrig/notes.md", content="uses rust")
        self.assertIsNone(first.content, "create answers the basic view")
        self.assertEqual(first.content_sha256, hashlib.sha256(b"uses rust").hexdigest())
        memories.create(store.id, path="/projects/outrig/todo.md", content="ship")
        memories.create(store.id, path="/profile.md", content="hi")
        self.assertEqual(memories.retrieve(first.id, memory_store_id=store.id).content, "uses rust")
        with self.assertRaises(anthropic.ConflictError):
            memories.create(store.id, path="/profile.md", content="again")
        with self.assertRaises(anthropic.BadRequestError):
            memories.create(store.id, path="relative/path", content="x")
        top = list(memories.list(store.id, depth=1))
        self.assertEqual([(m.type, m.path) for m in top], [("memory", "/profile.md"), ("memory_prefix", "/projects/")])
        under = [m.path for m in memories.list(store.id, path_prefix="/projects/outrig/")]
        self.assertEqual(under, ["/projects/outrig/notes.md", "/projects/outrig/todo.md"])
        with self.assertRaises(anthropic.ConflictError):
            memories.update(first.id, memory_store_id=store.id, content="x", precondition={"type": "content_sha256", "content_sha256": "0" * 64})
        changed = memories.update(first.id, memory_store_id=store.id, content="uses rust and wasm", view="full",
                                  precondition={"type": "content_sha256", "content_sha256": first.content_sha256})
        self.assertEqual(changed.content, "uses rust and wasm")
        with self.assertRaises(anthropic.ConflictError):
            memories.delete(first.id, memory_store_id=store.id, expected_content_sha256=first.content_sha256)
        self.assertEqual(memories.delete(first.id, memory_store_id=store.id, expected_content_sha256=changed.content_sha256).type, "memory_deleted")
        versions = list(stores.memory_versions.list(store.id, memory_id=first.id))
        self.assertEqual([v.operation for v in versions], ["deleted", "modified", "created"])
        self.assertEqual(versions[0].created_by.type, "api_actor")
        created = stores.memory_versions.retrieve(versions[2].id, memory_store_id=store.id)
        self.assertEqual(created.content, "uses rust")
        redacted = stores.memory_versions.redact(created.id, memory_store_id=store.id)
        self.assertIsNone(redacted.content)
        self.assertIsNotNone(redacted.redacted_at)
        self.assertEqual(stores.update(store.id, name="preferences").name, "preferences")
        self.assertIsNotNone(stores.archive(store.id).archived_at)
        with self.assertRaises(anthropic.BadRequestError):
            memories.create(store.id, path="/late.md", content="x")
        self.assertEqual(stores.delete(store.id).type, "memory_store_deleted")

    def test_dream_completes_into_a_new_store_and_cancel(self):
        beta = self.client.beta
        store = beta.memory_stores.create(name="source")
        beta.memory_stores.memories.create(store.id, path="/a.md", content="alpha")
        session = beta.sessions.create(agent=self.agent.id, environment_id=self.environment.id, initial_events=HELLO)
        inputs = [{"type": "memory_store", "memory_store_id": store.id}, {"type": "sessions", "session_ids": [session.id]}]
        dream = beta.dreams.create(inputs=inputs, model="claude-opus-4-6", instructions="keep it short")
        self.assertEqual((dream.status, dream.output_behavior.type), ("pending", "create_new"))
        for _ in range(100):
            dream = beta.dreams.retrieve(dream.id)
            if dream.status == "completed":
                break
            time.sleep(0.1)
        self.assertEqual(dream.status, "completed")
        output = dream.outputs[0].memory_store_id
        self.assertNotEqual(output, store.id)
        paths = sorted(m.path for m in beta.memory_stores.memories.list(output))
        self.assertEqual(paths, ["/a.md", f"/dreams/{dream.id}.md"])
        self.assertEqual([d.id for d in beta.dreams.list(statuses=["completed"])], [dream.id])
        with self.assertRaises(anthropic.BadRequestError):
            beta.dreams.cancel(dream.id)
        with self.assertRaises(anthropic.BadRequestError):
            beta.dreams.create(inputs=inputs[:1], model="claude-opus-4-6")
        second = beta.dreams.create(inputs=inputs, model={"id": "claude-opus-4-6", "speed": "standard"},
                                    output_behavior={"type": "update_existing", "memory_store_id": store.id})
        self.assertEqual(beta.dreams.cancel(second.id).status, "canceled")
        self.assertIsNotNone(beta.dreams.archive(second.id).archived_at)

    def test_tunnels_tokens_and_certificates(self):
        tunnels = self.client.beta.tunnels
        tunnel = tunnels.create(display_name="office")
        token = tunnels.reveal_token(tunnel.id).tunnel_token
        self.assertNotIn(token, tunnels.retrieve(tunnel.id).model_dump_json())
        rotated = tunnels.rotate_token(tunnel.id, reason="laptop lost").tunnel_token
        self.assertNotEqual(rotated, token)
        self.assertEqual(tunnels.reveal_token(tunnel.id).tunnel_token, rotated)
        certificate = tunnels.certificates.create(tunnel.id, ca_certificate_pem=CA_PEM)
        der = ssl.PEM_cert_to_DER_cert(CA_PEM)
        self.assertEqual(certificate.fingerprint.replace(":", "").lower(), hashlib.sha256(der).hexdigest())
        # The certificate's own notAfter (2036-11-28 11:35:38 UTC).
        self.assertEqual(certificate.expires_at.isoformat(), "2036-11-28T11:35:38+00:00")
        with self.assertRaises(anthropic.BadRequestError):
            tunnels.certificates.create(tunnel.id, ca_certificate_pem="not a certificate")
        self.assertEqual([c.id for c in tunnels.certificates.list(tunnel.id)], [certificate.id])
        tunnels.certificates.archive(certificate.id, tunnel_id=tunnel.id)
        self.assertEqual(len(tunnels.certificates.list(tunnel.id).data), 0)
        self.assertIsNotNone(tunnels.archive(tunnel.id).archived_at)
        self.assertIn(tunnel.id, [t.id for t in tunnels.list(include_archived=True)])

    def test_skills_upload_versions_and_delete(self):
        skills = self.client.beta.skills
        manifest = b"---\nname: invoice-helper\ndescription: Reads invoices\n---\n# Invoices\n"
        skill = skills.create(display_name="Invoices", files=[("invoice-helper/SKILL.md", manifest), ("invoice-helper/notes.txt", b"x")])
        self.assertEqual((skill.source.type, skill.display_name), ("custom", "Invoices"))
        self.assertEqual([s.id for s in skills.list(source="custom")], [skill.id])
        first = skills.versions.retrieve("latest", skill_id=skill.id)
        self.assertEqual((first.name, first.description), ("invoice-helper", "Reads invoices"))
        time.sleep(0.002)
        second = skills.versions.create(skill.id, files=[("invoice-helper/SKILL.md", manifest.replace(b"Reads", b"Explains"))])
        self.assertEqual(skills.retrieve(skill.id).latest_version_id, second.id)
        self.assertEqual(len(skills.versions.list(skill.id).data), 2)
        archive = zipfile.ZipFile(io.BytesIO(skills.versions.download(first.id, skill_id=skill.id).read()))
        self.assertEqual(sorted(archive.namelist()), ["invoice-helper/SKILL.md", "invoice-helper/notes.txt"])
        self.assertEqual(archive.read("invoice-helper/SKILL.md"), manifest)
        with self.assertRaises(anthropic.BadRequestError):
            skills.create(files=[("loose/README.md", b"no manifest")])
        with self.assertRaises(anthropic.BadRequestError):
            skills.delete(skill.id)
        skills.versions.delete(second.id, skill_id=skill.id)
        self.assertEqual(skills.retrieve(skill.id).latest_version_id, first.id)
        skills.versions.delete(first.id, skill_id=skill.id)
        self.assertEqual(skills.delete(skill.id).type, "skill_deleted")

    def test_multiagent_rosters_resolve_and_expand_on_sessions(self):
        agents = self.client.beta.agents
        helper = agents.create(name="researcher", model="claude-haiku-4-5", system="find things")
        lead = agents.create(name="lead", model="claude-opus-4-6", multiagent={
            "type": "multiagent_20261001",
            "subagents": {"type": "enabled", "predefined_agents": [helper.id, {"type": "self"}]},
            "workflows": None,
        })
        roster = lead.multiagent
        self.assertEqual(roster.advisor.type, "disabled")
        self.assertEqual([(a.id, a.version) for a in roster.subagents.predefined_agents], [(helper.id, 1), (lead.id, 1)])
        self.assertEqual((roster.workflows.type, roster.workflows.inline_agents.type), ("enabled", "enabled"))
        coordinator = agents.create(name="coord", model="claude-opus-4-6", multiagent={
            "type": "coordinator", "agents": [{"type": "agent", "id": helper.id}, {"type": "advisor", "model": "claude-opus-4-6"}],
        })
        self.assertEqual(coordinator.multiagent.agents[0].version, 1)
        session = self.client.beta.sessions.create(agent=lead.id, environment_id=self.environment.id)
        expanded = session.agent.multiagent.subagents.predefined_agents
        self.assertEqual([(a.name, a.system) for a in expanded], [("researcher", "find things"), ("lead", None)])
        with self.assertRaises(anthropic.NotFoundError):
            agents.create(name="x", model="m", multiagent={"type": "coordinator", "agents": ["agent_missing"]})
        with self.assertRaises(anthropic.BadRequestError) as nested:
            agents.create(name="x", model="m", multiagent={"type": "coordinator", "agents": [lead.id]})
        self.assertIn("one level deep", nested.exception.message)
        updated = agents.update(lead.id, version=lead.version, multiagent={"type": "multiagent_20261001", "advisor": {"type": "enabled", "model": "claude-opus-4-6"}})
        self.assertEqual(updated.multiagent.advisor.model, "claude-opus-4-6")
        self.assertEqual(len(updated.multiagent.subagents.predefined_agents), 2, "keys not sent are kept")

    def test_delegation_runs_a_sub_thread_whose_tool_call_is_answered_on_the_session(self):
        beta = self.client.beta
        lookup = {"type": "custom", "name": "lookup_price", "description": "Price of a product.",
                  "input_schema": {"type": "object", "properties": {"sku": {"type": "string"}}}}
        helper = beta.agents.create(name="pricer", model="claude-haiku-4-5", tools=[lookup])
        lead = beta.agents.create(name="lead", model="claude-opus-4-6",
                                  multiagent={"type": "coordinator", "agents": [helper.id]})
        session = beta.sessions.create(agent=lead.id, environment_id=self.environment.id)
        primary = beta.sessions.threads.list(session.id).data[0]
        stream = beta.sessions.events.stream(session.id)
        beta.sessions.events.send(session.id, events=[{"type": "user.message", "content": [
            {"type": "text", "text": 'delegate pricer\ncall lookup_price {"sku": "A-1"}'}]}])
        seen, call = [], None
        for event in stream:
            seen.append(event.type)
            if event.type == "agent.custom_tool_use":
                call = event
                beta.sessions.events.send(session.id, events=[{"type": "user.custom_tool_result",
                    "custom_tool_use_id": event.id, "content": [{"type": "text", "text": "12 EUR"}]}])
            if event.type == "session.status_idle" and event.stop_reason.type == "end_turn":
                break
        stream.close()
        child = call.session_thread_id
        self.assertNotEqual(child, primary.id)
        for expected in ["agent.thread_message_sent", "session.thread_created", "session.thread_status_running",
                         "session.thread_status_idle", "agent.thread_message_received"]:
            self.assertIn(expected, seen)
        self.assertNotIn("agent.thread_message_received", seen[: seen.index("agent.thread_message_sent")])
        threads = {t.id: t for t in beta.sessions.threads.list(session.id)}
        self.assertEqual((threads[child].agent.name, threads[child].parent_thread_id, threads[child].status),
                         ("pricer", primary.id, "idle"))
        inner = [e.type for e in beta.sessions.threads.events.list(child, session_id=session.id)]
        self.assertEqual(inner[:3], ["session.thread_created", "agent.thread_message_received", "session.thread_status_running"])
        self.assertIn("user.custom_tool_result", inner)
        report = [e for e in beta.sessions.events.list(session.id) if e.type == "agent.thread_message_received"][0]
        self.assertIn("12 EUR", report.content[0].text)
        session_texts = [e.content[0].text for e in beta.sessions.events.list(session.id) if e.type == "agent.message"]
        inner_texts = [e.content[0].text for e in beta.sessions.threads.events.list(child, session_id=session.id) if e.type == "agent.message"]
        self.assertIn("Tool results:\nlookup_price: 12 EUR", inner_texts)
        self.assertFalse(set(inner_texts) & set(session_texts), "a sub-agent's messages stay in its thread")
        with beta.sessions.threads.events.stream(child, session_id=session.id) as thread_stream:
            self.assertIsNotNone(beta.sessions.threads.archive(child, session_id=session.id).archived_at)
            first = next(iter(thread_stream))
        self.assertEqual((first.type, first.session_thread_id), ("session.thread_status_terminated", child))
        self.assertEqual(beta.sessions.threads.retrieve(child, session_id=session.id).status, "terminated")
        with self.assertRaises(anthropic.BadRequestError):
            beta.sessions.threads.archive(primary.id, session_id=session.id)
        # Delegating to an agent outside the roster is a session error, not a crash.
        lone = beta.sessions.create(agent=self.agent.id, environment_id=self.environment.id,
                                    initial_events=[{"type": "user.message", "content": [{"type": "text", "text": "delegate nobody\nhi"}]}])
        for _ in range(100):
            events = list(beta.sessions.events.list(lone.id))
            if events[-1].type == "session.status_idle":
                break
            time.sleep(0.05)
        errors = [e for e in events if e.type == "session.error"]
        self.assertIn("not in its multiagent roster", errors[0].error.message)

    def outcome_events(self, session_id):
        for _ in range(100):
            events = list(self.client.beta.sessions.events.list(session_id))
            if events and events[-1].type == "session.status_idle":
                return events
            time.sleep(0.05)
        self.fail("the outcome never ended")

    def test_outcomes_are_evaluated_and_revised(self):
        beta = self.client.beta
        reviser = beta.agents.create(name="reviser", model="claude-opus-4-6", metadata={"scenario": "revise"})
        outcome = {"type": "user.define_outcome", "description": "A one-page summary",
                   "rubric": {"type": "text", "content": "Under 300 words"}, "max_iterations": 3}
        session = beta.sessions.create(agent=reviser.id, environment_id=self.environment.id, initial_events=[outcome])
        events = self.outcome_events(session.id)
        ends = [e for e in events if e.type == "span.outcome_evaluation_end"]
        self.assertEqual([(e.iteration, e.result) for e in ends], [(0, "needs_revision"), (1, "satisfied")])
        starts = [e.id for e in events if e.type == "span.outcome_evaluation_start"]
        self.assertEqual([e.outcome_evaluation_start_id for e in ends], starts)
        defined = next(e for e in events if e.type == "user.define_outcome")
        self.assertTrue(defined.outcome_id.startswith("outc_"))
        evaluation = beta.sessions.retrieve(session.id).outcome_evaluations[0]
        self.assertEqual((evaluation.outcome_id, evaluation.result, evaluation.iteration), (defined.outcome_id, "satisfied", 1))
        self.assertIsNotNone(evaluation.completed_at)
        # With one iteration allowed, a revision verdict becomes max_iterations_reached.
        capped = beta.sessions.create(agent=reviser.id, environment_id=self.environment.id,
                                      initial_events=[dict(outcome, max_iterations=1)])
        ends = [e for e in self.outcome_events(capped.id) if e.type == "span.outcome_evaluation_end"]
        self.assertEqual([e.result for e in ends], ["max_iterations_reached"])
        # The default agent is satisfied at once.
        plain = beta.sessions.create(agent=self.agent.id, environment_id=self.environment.id, initial_events=[outcome])
        ends = [e for e in self.outcome_events(plain.id) if e.type == "span.outcome_evaluation_end"]
        self.assertEqual([e.result for e in ends], ["satisfied"])

    def test_zz_cron_schedule_fires_twice(self):
        beta = self.client.beta
        deployment = beta.deployments.retrieve(self.scheduled.id)
        self.assertEqual(len(deployment.schedule.upcoming_runs_at), 5)
        runs = []
        for _ in range(1500):  # at most 150 s: two minute boundaries
            runs = list(beta.deployment_runs.list(deployment_id=self.scheduled.id, trigger_type="schedule"))
            if len(runs) >= 2:
                break
            time.sleep(0.1)
        self.assertGreaterEqual(len(runs), 2)
        for run in runs:
            self.assertEqual(run.trigger_context.scheduled_at.second, 0)
            session = beta.sessions.retrieve(run.session_id)
            self.assertEqual(session.deployment_id, self.scheduled.id)
            events = [e.type for e in beta.sessions.events.list(run.session_id)]
            self.assertIn("user.message", events)
        self.assertIsNotNone(beta.deployments.retrieve(self.scheduled.id).schedule.last_run_at)


if __name__ == "__main__":
    unittest.main(verbosity=2)
