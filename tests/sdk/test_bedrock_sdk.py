"""The official Python SDK's Bedrock client (`AnthropicBedrock().beta`, anthropic 2.16.0,
strict response validation, SigV4 signing by the SDK itself) against
`outrig emulator --platform bedrock`: an agent whose custom tools `outrig host register
--platform bedrock` sets from a wasm plugin → a session on an AgentCore runtime → its event
stream → the custom tool call answered by `outrig host run --platform bedrock` → the end of
the turn. Then what Bedrock refuses, as the SDK surfaces it."""
import json
import os
import subprocess
import tempfile
import unittest

import anthropic
from anthropic import AnthropicBedrock

from emulator_process import ROOT, Emulator, outrig_binary

KEY_ID, SECRET = "AKIDOUTRIGSDKTEST", "outrig-sdk-test-secret-not-a-real-one"
REGION = "us-west-2"
ROLE = {"type": "aws_role", "role_arn": "arn:aws:iam::111122223333:role/outrig-agent"}
RUNTIME = "arn:aws:bedrock-agentcore:us-west-2:111122223333:runtime/outrig-test"
GATEWAY = "arn:aws:bedrock-agentcore:us-west-2:111122223333:gateway/outrig-test"
# The IAM role the test key stands for: its requests' `created_by` and `sent_by`.
CALLER = "arn:aws:iam::111122223333:role/outrig-caller"


class BedrockSdk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator("--platform", "bedrock", "--region", REGION,
                                "--aws-key", f"{KEY_ID}:{SECRET}:{CALLER}",
                                "--agentcore-gateway", f"{GATEWAY}=http://127.0.0.1:9/mcp",
                                "--api-key", "bedrock-api-key").__enter__()
        cls.base_url = cls.emulator.base_url + "/anthropic"
        cls.client = AnthropicBedrock(aws_region=REGION, aws_access_key=KEY_ID, aws_secret_key=SECRET,
                                      base_url=cls.base_url, _strict_response_validation=True)
        cls.work = tempfile.TemporaryDirectory()
        cls.config = os.path.join(cls.work.name, "outrig-host.toml")
        with open(cls.config, "w") as file:
            file.write(f'[[plugin]]\npath = "{ROOT}/artifacts/plugins/invoices.wasm"\n')

    @classmethod
    def tearDownClass(cls):
        cls.emulator.__exit__(None, None, None)
        cls.work.cleanup()

    def outrig(self, *args):
        """`outrig ARGS --platform bedrock`, with the key pair in the standard AWS variables."""
        env = {**os.environ, "AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET, "NO_COLOR": "1"}
        env.pop("ANTHROPIC_API_KEY", None)
        return [outrig_binary(), *args, "--platform", "bedrock", "--region", REGION,
                "--base-url", self.base_url], env

    def test_a_turn_whose_custom_tool_outrig_host_answers(self):
        beta = self.client.beta
        agent = beta.agents.create(name="tools on bedrock", model="us.anthropic.claude-opus-4-6",
                                   execution_identity=ROLE)
        self.assertEqual(agent.model.id, "us.anthropic.claude-opus-4-6")
        self.assertEqual(agent.execution_identity.role_arn, ROLE["role_arn"])
        command, env = self.outrig("host", "register", "--config", self.config, "--agent", agent.id)
        registered = subprocess.run(command, env=env, capture_output=True, text=True)
        self.assertEqual(registered.returncode, 0, registered.stderr)
        tools = beta.agents.retrieve(agent.id).tools
        self.assertIn("echo", [t.name for t in tools if t.type == "custom"])

        session = beta.sessions.create(agent=agent.id, environment_id=RUNTIME)
        self.assertEqual(session.working_directory, "/mnt/workspace")
        self.assertEqual(session.environment_id, RUNTIME)
        command, env = self.outrig("host", "run", "--config", self.config, "--session", session.id,
                                   "--state", os.path.join(self.work.name, "journal.sqlite"))
        host = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            seen = []
            with beta.sessions.events.stream(session.id) as stream:
                beta.sessions.events.send(session.id, events=[{
                    "type": "user.message",
                    "content": [{"type": "text", "text": 'call echo {"invoice": "INV-1"}'}],
                }])
                for event in stream:
                    seen.append(event)
                    if event.type == "session.status_idle" and event.stop_reason.type == "end_turn":
                        break
            types = [e.type for e in seen]
            self.assertIn("agent.custom_tool_use", types)
            result = next(e for e in seen if e.type == "user.custom_tool_result")
            self.assertFalse(result.is_error)
            self.assertEqual(json.loads(result.content[0].text), {"invoice": "INV-1"})
            self.assertFalse(any(t.startswith("workflow_run.") for t in types))
            history = list(beta.sessions.events.list(session.id))
            self.assertEqual([e.type for e in history], types)
            raw = self.client.get(f"/v1/sessions/{session.id}/events", cast_to=object,
                                  options={"headers": {"anthropic-beta": "managed-agents-2026-04-01"}})
            sent = [e for e in raw["data"] if e["type"] in ("user.message", "user.custom_tool_result")]
            self.assertTrue(sent and all(e["sent_by"]["arn"] == CALLER for e in sent), sent)
        finally:
            host.terminate()
            _, stderr = host.communicate(timeout=30)
        self.assertNotIn(SECRET, stderr)

    def test_an_mcp_elicitation_round_trip_as_the_sdk_types_it(self):
        beta = self.client.beta
        # The gateway stands for an MCP server on loopback, never reached: the person declines.
        agent = beta.agents.create(
            name="elicits", model="us.anthropic.claude-opus-4-6", execution_identity=ROLE,
            mcp_servers=[{"type": "aws_agentcore_gateway", "name": "gateway", "gateway_arn": GATEWAY}],
            tools=[{"type": "mcp_toolset", "mcp_server_name": "gateway",
                    "default_config": {"permission_policy": {"type": "always_allow"}}}])
        session = beta.sessions.create(agent=agent.id, environment_id=RUNTIME)
        seen = []
        with beta.sessions.events.stream(session.id) as stream:
            beta.sessions.events.send(session.id, events=[{
                "type": "user.message", "content": [{"type": "text", "text": 'elicit gateway/lookup {"q": 1}'}]}])
            for event in stream:
                seen.append(event)
                if event.type == "session.status_idle":
                    break
            elicitation = next(e for e in seen if e.type == "agent.mcp_elicitation")
            call = next(e for e in seen if e.type == "agent.mcp_tool_use")
            self.assertEqual(elicitation.mcp_tool_use_id, call.id)
            self.assertEqual(elicitation.request.type, "url")
            self.assertEqual(seen[-1].stop_reason.event_ids, [elicitation.id])
            sent = beta.sessions.events.send(session.id, events=[{
                "type": "user.mcp_elicitation_response", "mcp_elicitation_id": elicitation.id,
                "response": {"type": "decline"}}])
            self.assertIsNone(sent.data[0].processed_at)
            for event in stream:
                seen.append(event)
                if event.type == "session.status_idle":
                    break
        result = next(e for e in seen if e.type == "agent.mcp_tool_result")
        self.assertTrue(result.is_error)
        self.assertEqual(seen[-1].stop_reason.type, "end_turn")
        with self.assertRaises(anthropic.BadRequestError) as refused:
            beta.sessions.events.send(session.id, events=[{
                "type": "user.mcp_elicitation_response", "mcp_elicitation_id": "sevt_nobody",
                "response": {"type": "accept"}}])
        self.assertEqual(refused.exception.body["error"]["details"]["error_code"], "mcp_elicitation_not_found")

    def test_objects_and_list_items_in_bedrock_s_shapes(self):
        beta = self.client.beta
        agent = beta.agents.create(name="shapes", model="eu.anthropic.claude-opus-4-6", execution_identity=ROLE)
        agent = beta.agents.update(agent.id, version=agent.version, description="updated")
        self.assertEqual(agent.version, 2)
        self.assertEqual((agent.created_by.type, agent.created_by.arn), ("role_actor", CALLER))
        items = list(beta.agents.list())
        self.assertIn(agent.id, [a.id for a in items])
        self.assertEqual(sorted(items[0].model_dump(exclude_none=False).keys()),
                         sorted(["id", "type", "name", "model", "version", "resource_arn", "created_at",
                                 "updated_at", "archived_at"]))
        self.assertEqual([v.version for v in beta.agents.versions.list(agent.id)], [2, 1])
        store = beta.memory_stores.create(name="notes")
        self.assertEqual(store.backend.type, "managed")
        self.assertEqual(beta.memory_stores.retrieve(store.id).name, "notes")
        self.assertIn(store.id, [s.id for s in beta.memory_stores.list()])
        session = beta.sessions.create(agent=agent.id, environment_id=RUNTIME, title="shaped")
        listed = [s for s in beta.sessions.list() if s.id == session.id]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0].agent.id, agent.id)
        self.assertTrue(listed[0].created_by_me)
        self.assertEqual(session.created_by.arn, CALLER)
        self.assertEqual(store.created_by.arn, CALLER)
        self.assertIn(session.id, [s.id for s in beta.sessions.list(created_by_me=True)])
        raw = self.client.get(f"/v1/sessions/{session.id}", cast_to=object,
                              options={"headers": {"anthropic-beta": "managed-agents-2026-04-01"}})
        self.assertNotIn("vault_ids", raw)
        self.assertNotIn("execution_identity", raw["agent"])
        beta.sessions.archive(session.id)
        beta.agents.archive(agent.id)

    def test_session_resources_in_bedrock_s_shapes(self):
        beta = self.client.beta
        agent = beta.agents.create(name="resources", model="us.anthropic.claude-sonnet-5-5", execution_identity=ROLE,
                                   tools=[{"type": "agent_toolset_20260401"}])
        store = beta.memory_stores.create(name="notes")
        session = beta.sessions.create(agent=agent.id, environment_id=RUNTIME, resources=[
            {"type": "s3_mount", "s3_uri": "s3://team-bucket/runs/{session_id}/", "region": REGION,
             "mount_path": "/mnt/data", "mount_as": "read_write", "is_output": True},
            {"type": "s3_object", "s3_uri": "s3://team-bucket/inputs/brief.pdf", "region": REGION,
             "mount_path": "/mnt/workspace/brief.pdf"},
            {"type": "sandbox_path", "path": "/opt/tools"},
            {"type": "memory_store", "memory_store_id": store.id},
        ])
        kinds = [r.type for r in session.resources]
        self.assertEqual(kinds, ["s3_mount", "s3_object", "sandbox_path", "memory_store"])
        self.assertEqual(session.resources[0].s3_uri, f"s3://team-bucket/runs/{session.id}/")
        self.assertTrue(all(r.id.startswith("sesrsc_") for r in session.resources))
        listed = [s for s in beta.sessions.list() if s.id == session.id][0]
        self.assertEqual([r.memory_store_id for r in listed.resources], [store.id])
        with self.assertRaises(anthropic.BadRequestError) as refused:
            beta.sessions.create(agent=agent.id, environment_id=RUNTIME, resources=[
                {"type": "s3_mount", "s3_uri": "s3://b/f/", "region": REGION, "mount_path": "/mnt/workspace/d",
                 "mount_as": "read_only"}])
        self.assertIn("/mnt/workspace", str(refused.exception))

    def test_the_cli_signs_with_the_keys_of_an_aws_profile(self):
        with open(os.path.join(self.work.name, "credentials"), "w") as file:
            file.write(f"[default]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n"
                       f"[outrig-test]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n")
        with open(os.path.join(self.work.name, "config"), "w") as file:
            file.write(f"[profile outrig-test]\nregion = {REGION}\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_SHARED_CREDENTIALS_FILE=os.path.join(self.work.name, "credentials"),
                   AWS_CONFIG_FILE=os.path.join(self.work.name, "config"), AWS_PROFILE="outrig-test")
        listed = subprocess.run([outrig_binary(), "agents", "list", "--platform", "bedrock",
                                 "--base-url", self.base_url], env=env, capture_output=True, text=True)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        env["AWS_PROFILE"] = "default"
        refused = subprocess.run([outrig_binary(), "agents", "list", "--platform", "bedrock", "--region", REGION,
                                  "--base-url", self.base_url], env=env, capture_output=True, text=True)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("not known", refused.stderr)
        self.assertNotIn("wrong\n", refused.stderr)
        keyed = subprocess.run([outrig_binary(), "agents", "list", "--platform", "bedrock", "--region", REGION,
                                "--base-url", self.base_url],
                               env={**env, "AWS_BEARER_TOKEN_BEDROCK": "bedrock-api-key"}, capture_output=True, text=True)
        self.assertEqual(keyed.returncode, 0, keyed.stderr)
        env["AWS_PROFILE"] = "nobody"
        missing = subprocess.run([outrig_binary(), "agents", "list", "--platform", "bedrock", "--region", REGION,
                                  "--base-url", self.base_url], env=env, capture_output=True, text=True)
        self.assertIn("no AWS credentials", missing.stderr)
        self.assertIn("`nobody`", missing.stderr)

    def test_what_bedrock_refuses_reaches_the_sdk_as_a_400(self):
        beta = self.client.beta
        with self.assertRaises(anthropic.BadRequestError) as refused:
            beta.agents.create(name="bare model", model="claude-opus-4-6", execution_identity=ROLE)
        self.assertIn("inference profile", str(refused.exception))
        agent = beta.agents.create(name="outcomes", model="global.anthropic.claude-opus-4-6",
                                   execution_identity=ROLE)
        session = beta.sessions.create(agent=agent.id, environment_id=RUNTIME, working_directory="/work")
        self.assertEqual(beta.sessions.retrieve(session.id).working_directory, "/work")
        with self.assertRaises(anthropic.BadRequestError) as refused:
            self.client.post(f"/v1/sessions/{session.id}/events", cast_to=object, body={"events": [{
                "type": "user.define_outcome", "description": "d",
                "rubric": {"type": "text", "content": "r"}}]},
                options={"headers": {"anthropic-beta": "managed-agents-2026-04-01"}})
        self.assertEqual(refused.exception.body["error"]["details"]["error_code"],
                         "feature_unsupported_on_platform")


if __name__ == "__main__":
    unittest.main()
