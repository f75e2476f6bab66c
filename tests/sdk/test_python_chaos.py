"""The official Python SDK (anthropic==2.16.0) on its retry and error paths, driven by the
emulator's chaos rules (`--admin`) and checked in its request journal: what the SDK really
sent, attempt by attempt."""
import json
import unittest
import urllib.request

import anthropic

from emulator_process import Emulator

HELLO = [{"type": "user.message", "content": [{"type": "text", "text": "hello"}]}]


class RetriesThroughChaos(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator("--admin").__enter__()
        cls.client = anthropic.Anthropic(api_key="k", base_url=cls.emulator.base_url, max_retries=2, _strict_response_validation=True)

    @classmethod
    def tearDownClass(cls):
        cls.emulator.__exit__(None, None, None)

    def admin(self, path, method="GET", body=None):
        request = urllib.request.Request(f"{self.emulator.base_url}/_outrig/{path}", method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request) as response:
            text = response.read()
        return json.loads(text) if text else None

    def attempts(self, route):
        return [(r["status"], r["headers"]["x-stainless-retry-count"]) for r in self.admin(f"requests?route={route}")["data"]]

    def test_a_429_is_retried_once_then_succeeds(self):
        self.admin("chaos", "POST", {"route": "agents.create", "status": 429, "retry_after": 0, "times": 1})
        self.client.beta.agents.create(name="patient", model="claude-opus-4-6")
        self.assertEqual(self.attempts("agents.create"), [(429, "0"), (200, "1")])

    def test_503_on_every_attempt_gives_three_attempts_then_internal_server_error(self):
        self.admin("chaos", "POST", {"route": "environments.create", "status": 503, "retry_after": 0})
        with self.assertRaises(anthropic.InternalServerError) as raised:
            self.client.beta.environments.create(name="down")
        self.assertEqual(raised.exception.status_code, 503)
        self.assertEqual(self.attempts("environments.create"), [(503, "0"), (503, "1"), (503, "2")])
        self.admin("chaos", "DELETE")

    def test_529_overloaded_is_retried(self):
        self.admin("chaos", "POST", {"route": "vaults.create", "status": 529, "retry_after": 0, "times": 2})
        self.client.beta.vaults.create(display_name="busy")
        self.assertEqual(self.attempts("vaults.create"), [(529, "0"), (529, "1"), (200, "2")])

    def test_a_stream_cut_mid_turn_raises_and_is_not_resumed(self):
        beta = self.client.beta
        agent = beta.agents.create(name="talker", model="claude-opus-4-6")
        environment = beta.environments.create(name="cut")
        session = beta.sessions.create(agent=agent.id, environment_id=environment.id)
        self.admin("chaos", "POST", {"route": "sessions.events.stream", "path_contains": session.id,
                                     "cut_after_events": 2, "times": 1})
        stream = beta.sessions.events.stream(session.id)
        beta.sessions.events.send(session.id, events=HELLO)
        seen = []
        with self.assertRaises(Exception):
            for event in stream:
                seen.append(event.type)
        self.assertEqual(len(seen), 2, seen)
        streams = self.admin(f"requests?route=sessions.events.stream&path_contains={session.id}")["data"]
        self.assertEqual(len(streams), 1, "the SDK opened no second stream")
        backfills = self.admin(f"requests?route=sessions.events.list&path_contains={session.id}")["data"]
        self.assertEqual(backfills, [], "nor asked for what it missed")


if __name__ == "__main__":
    unittest.main()
