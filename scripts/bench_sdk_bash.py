"""The SDK's unsandboxed persistent bash (anthropic 2.16.0, `BashSession` of
`anthropic.lib.tools.agent_toolset`): start time, and per-call time of `true`, measured the
same way as crates/host/examples/sandbox_overhead.rs."""
import asyncio
import tempfile
import time

from anthropic.lib.tools.agent_toolset import BashSession


def summary(name, samples):
    samples = sorted(samples)
    at = lambda q: samples[int((len(samples) - 1) * q)] * 1000
    print(f"{name}: n={len(samples)} median={at(0.5):.3f} ms p10={at(0.1):.3f} ms p90={at(0.9):.3f} ms")


async def main():
    with tempfile.TemporaryDirectory() as workdir:
        starts = []
        for _ in range(20):
            started = time.perf_counter()
            shell = await BashSession.start(workdir)
            await shell.exec("true")
            starts.append(time.perf_counter() - started)
            await shell.close()
        summary("SDK BashSession start (bash + first command)", starts)
        shell = await BashSession.start(workdir)
        for _ in range(100):
            await shell.exec("true")
        calls = []
        for _ in range(1000):
            started = time.perf_counter()
            await shell.exec("true")
            calls.append(time.perf_counter() - started)
        summary("SDK BashSession, `true` per call", calls)
        await shell.close()


asyncio.run(main())
