"""The official Python SDK (anthropic==2.16.0) as a client of the Outrig emulator, over
real HTTP: a full custom-tool round trip, pagination, and every error path mapped to the
SDK's exception classes."""
import json
import unittest

import anthropic

from emulator_process import Emulator

KEY = "sk-test-outrig"
TOOL = {
    "type": "custom",
    "name": "get_order_status",
    "description": "Look up the shipping status of an order by its ID.",
    "input_schema": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
}


class PythonSdkAgainstEmulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator("--api-key", KEY, "--max-body", "65536").__enter__()
        cls.client = anthropic.Anthropic(api_key=KEY, base_url=cls.emulator.base_url, max_retries=0, _strict_response_validation=True)

    @classmethod
    def tearDownClass(cls):
        cls.emulator.__exit__(None, None, None)

    def new_session(self):
        agent = self.client.beta.agents.create(name="Order support", model="claude-opus-4-6", tools=[TOOL])
        environment = self.client.beta.environments.create(name="default")
        session = self.client.beta.sessions.create(agent=agent.id, environment_id=environment.id)
        return agent, session

    def test_custom_tool_round_trip_reaches_end_turn(self):
        agent, session = self.new_session()
        self.assertEqual(session.status, "idle")
        self.assertEqual(agent.tools[0].name, "get_order_status")
        stream = self.client.beta.sessions.events.stream(session.id)
        sent = self.client.beta.sessions.events.send(
            session.id,
            events=[{"type": "user.message", "content": [{"type": "text", "text": 'Where is my order?\ncall get_order_status {"order_id": "1234"}'}]}],
        )
        self.assertEqual(sent.data[0].type, "user.message")
        seen, answered, stop = [], [], None
        for event in stream:
            seen.append(event.type)
            if event.type == "agent.custom_tool_use":
                self.assertEqual((event.name, event.input), ("get_order_status", {"order_id": "1234"}))
                answered.append(event.id)
                self.client.beta.sessions.events.send(
                    session.id,
                    events=[{"type": "user.custom_tool_result", "custom_tool_use_id": event.id,
                             "content": [{"type": "text", "text": json.dumps({"status": "shipped"})}], "is_error": False}],
                )
            if event.type == "session.status_idle" and event.stop_reason.type == "requires_action":
                self.assertEqual(event.stop_reason.event_ids, answered)
            if event.type == "agent.message" and answered:
                final_text = event.content[0].text
            if event.type == "session.status_idle" and event.stop_reason.type == "end_turn":
                stop = event.stop_reason.type
                break
        stream.close()
        self.assertEqual(stop, "end_turn")
        self.assertIn('{"status": "shipped"}', final_text)
        for expected in ["user.message", "session.status_running", "agent.custom_tool_use", "user.custom_tool_result"]:
            self.assertIn(expected, seen)
        self.assertEqual(self.client.beta.sessions.retrieve(session.id).status, "idle")

    def test_lists_paginate(self):
        for i in range(5):
            self.client.beta.agents.create(name=f"paged {i}", model="claude-haiku-4-5")
        first = self.client.beta.agents.list(limit=2)
        self.assertEqual(len(first.data), 2)
        self.assertIsNotNone(first.next_page)
        names = [a.name for a in self.client.beta.agents.list(limit=2) if a.name.startswith("paged")]
        self.assertEqual(sorted(names), [f"paged {i}" for i in range(5)])
        _, session = self.new_session()
        self.client.beta.sessions.events.send(session.id, events=[{"type": "user.message", "content": [{"type": "text", "text": "hello"}]}])
        for _ in range(50):
            events = list(self.client.beta.sessions.events.list(session.id, limit=2))
            if events and events[-1].type == "session.status_idle":
                break
        self.assertEqual(events[0].type, "user.message")
        self.assertEqual(events[-1].stop_reason.type, "end_turn")
        self.assertEqual(len({e.id for e in events}), len(events))
        filtered = list(self.client.beta.sessions.events.list(session.id, types=["agent.message"]))
        self.assertEqual([e.type for e in filtered], ["agent.message"])
        page = self.client.beta.sessions.list(limit=1)
        self.assertEqual(len(page.data), 1)

    def test_errors_map_to_sdk_exception_classes(self):
        agent, session = self.new_session()
        with self.assertRaises(anthropic.BadRequestError) as bad:
            self.client.beta.agents.create(name="x", model="m", tools=[{"type": "custom", "name": "bad name!", "description": "d", "input_schema": {"type": "object"}}])
        self.assertIn("tools[0].name", bad.exception.message)
        with self.assertRaises(anthropic.BadRequestError):
            self.client.beta.agents.create(name="x", model="m", tools=[{"type": "custom", "name": "t", "description": "d", "input_schema": {"type": "array"}}])
        with self.assertRaises(anthropic.NotFoundError):
            self.client.beta.sessions.retrieve("sesn_missing")
        with self.assertRaises(anthropic.ConflictError):
            self.client.beta.agents.update(agent.id, version=7, name="renamed")
        with self.assertRaises(anthropic.BadRequestError) as unanswerable:
            self.client.beta.sessions.events.send(session.id, events=[{"type": "user.custom_tool_result", "custom_tool_use_id": "sevt_nope"}])
        self.assertIn("sevt_nope", unanswerable.exception.message)
        with self.assertRaises(anthropic.AuthenticationError):
            anthropic.Anthropic(api_key="wrong", base_url=self.emulator.base_url, max_retries=0, _strict_response_validation=True).beta.agents.list()
        with self.assertRaises(anthropic.APIStatusError) as too_large:
            self.client.beta.agents.create(name="x" * 70000, model="m")
        self.assertEqual(too_large.exception.status_code, 413)
        updated = self.client.beta.agents.update(agent.id, version=agent.version, name="renamed")
        self.assertEqual((updated.version, updated.name), (agent.version + 1, "renamed"))

    def test_rate_limit_raises_rate_limit_error_with_retry_after(self):
        with Emulator("--rate-limit", "2") as limited:
            client = anthropic.Anthropic(api_key=KEY, base_url=limited.base_url, max_retries=0, _strict_response_validation=True)
            with self.assertRaises(anthropic.RateLimitError) as limited_error:
                for _ in range(10):
                    client.beta.agents.list()
            self.assertEqual(limited_error.exception.response.headers["retry-after"], "1")
            # The window is per API key: another key is not limited by this one's traffic.
            other = anthropic.Anthropic(api_key="another-key", base_url=limited.base_url, max_retries=0, _strict_response_validation=True)
            other.beta.agents.list()


if __name__ == "__main__":
    unittest.main(verbosity=2)
