"""The official Python EnvironmentWorker (anthropic==2.16.0) pointed at the Outrig emulator,
over real HTTP: it polls the self-hosted environment's work queue, claims the item with a
first heartbeat, runs the agent's built-in tools for the session, and force-stops the item
when the session rests. A fidelity test of the emulator's work queue and session runner
behaviour (spec part 3 §3)."""
import asyncio
import json
import pathlib
import tempfile
import unittest

import anthropic
from anthropic.lib.environments import EnvironmentWorker

from emulator_process import Emulator


class PythonWorkerAgainstEmulator(unittest.TestCase):
    def test_the_sdk_worker_serves_a_self_hosted_session(self):
        self.assertEqual(anthropic.__version__, "2.16.0")
        with Emulator() as emulator, tempfile.TemporaryDirectory() as workdir:
            client = anthropic.Anthropic(api_key="k", base_url=emulator.base_url, _strict_response_validation=True)
            environment = client.beta.environments.create(name="mine", config={"type": "self_hosted"})
            agent = client.beta.agents.create(
                name="w", model="claude-opus-4-6", tools=[{"type": "agent_toolset_20260401"}]
            )
            session = client.beta.sessions.create(agent=agent.id, environment_id=environment.id)
            lines = [
                "tool bash " + json.dumps({"command": "echo hello > greeting.txt && cat greeting.txt"}),
                "tool write " + json.dumps({"file_path": "notes.md", "content": "alpha\nbeta\n"}),
                "tool edit " + json.dumps({"file_path": "notes.md", "old_string": "beta", "new_string": "gamma"}),
                "tool read " + json.dumps({"file_path": "notes.md"}),
            ]
            client.beta.sessions.events.send(
                session.id,
                events=[{"type": "user.message", "content": [{"type": "text", "text": "\n".join(lines)}]}],
            )

            async def serve():
                worker_client = anthropic.AsyncAnthropic(api_key="k", base_url=emulator.base_url, _strict_response_validation=True)
                worker = EnvironmentWorker(
                    worker_client,
                    environment_id=environment.id,
                    environment_key="env-key",
                    workdir=workdir,
                    max_idle=1.0,
                    memory_sync_interval=None,
                )
                task = asyncio.create_task(worker.run())
                try:
                    for _ in range(600):
                        items = client.beta.environments.work.list(environment.id).data
                        if items and all(item.state == "stopped" for item in items):
                            return
                        await asyncio.sleep(0.1)
                    self.fail("the SDK worker never stopped its work item")
                finally:
                    task.cancel()

            asyncio.run(serve())
            events = list(client.beta.sessions.events.list(session.id, limit=100))
            names = {e.id: e.name for e in events if e.type == "agent.tool_use"}
            results = [
                (names[e.tool_use_id], bool(e.is_error), "".join(b.text for b in e.content or []))
                for e in events
                if e.type == "user.tool_result"
            ]
            self.assertEqual([r[0] for r in results], ["bash", "write", "edit", "read"], results)
            self.assertTrue(all(not failed for _, failed, _ in results), results)
            self.assertEqual(results[0][2], "hello")
            self.assertEqual(results[3][2], "alpha\ngamma\n")
            self.assertEqual(pathlib.Path(workdir, "notes.md").read_text(), "alpha\ngamma\n")
            self.assertTrue(any(e.type == "session.status_idle" and e.stop_reason.type == "end_turn" for e in events))


if __name__ == "__main__":
    unittest.main()
