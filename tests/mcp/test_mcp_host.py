"""`outrig host mcp` through the official MCP Python SDK (`mcp`), as an MCP user would use it.

The example plugins' tools are listed and called over Streamable HTTP (the client's `auto`
mode and the `legacy` initialize handshake) and over stdio; the hostile plugin is held by
the same limits as in `host run` (deadline, memory, output, files, network); a cancelled
request makes `cancelled()` true inside the plugin; progress reports arrive as MCP progress
notifications; a wrong or missing token and a foreign `Origin` are refused before MCP runs;
with `--tls-cert`/`--tls-key` (a certificate made here by `openssl`) the same works over HTTPS,
and a client that does not trust the certificate is refused.

Run: OUTRIG_BIN=…/outrig python tests/mcp/test_mcp_host.py  (in a venv with `mcp`)
"""

import asyncio
import http.server
import json
import os
import secrets
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "artifacts" / "plugins"
OUTRIG = os.environ.get("OUTRIG_BIN", str(ROOT / "target" / "debug" / "outrig"))
SECRET = "hunter2-not-for-plugins"


class InvoiceApi(http.server.BaseHTTPRequestHandler):
    """The loopback invoice API the `invoice_status` tool is granted to call."""

    def do_GET(self):
        if self.path == "/invoices/INV-4":
            body = json.dumps({"id": "INV-4", "status": "paid", "paid_at": "2026-11-30"}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.send_header("content-length", "0")
            self.end_headers()

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def grants_file(directory: Path, api: str) -> Path:
    books = directory / "books"
    books.mkdir()
    (books / "invoices.csv").write_text("id,amount\nINV-1,120.00\nINV-2,75.50\nINV-3,19.99\nINV-4,300\n")
    (books / "ledger.csv").write_text("id,amount\nINV-1,120.00\nINV-2,57.50\nINV-3,19.99\nINV-9,42.00\n")
    hostile = PLUGINS / "hostile.wasm"
    # Only calls that can never end by themselves get the short deadline, so which limit
    # fires never depends on the machine's speed; `wait_` waits for cancellation with a
    # grace period no test outlives, so only `cancelled()` turning true can end it.
    config = f"""
[[plugin]]
path = "{PLUGINS / 'invoices.wasm'}"
[plugin.grants]
dirs = [{{ host = "{books}", guest = "/data", mode = "ro" }}]
env = ["INVOICES_API_URL={api}"]
network = ["{api}"]
allow_private = true

[[plugin]]
path = "{PLUGINS / 'units.wasm'}"

[[plugin]]
path = "{PLUGINS / 'stats.wasm'}"

[[plugin]]
path = "{hostile}"
[plugin.limits]
timeout_ms = 600000
memory_mib = 160
output_bytes = 1048576

[[plugin]]
path = "{hostile}"
prefix = "short_"
[plugin.limits]
timeout_ms = 500

[[plugin]]
path = "{hostile}"
prefix = "wait_"
[plugin.limits]
timeout_ms = 600000
cancel_grace_ms = 600000
"""
    path = directory / "outrig-host.toml"
    path.write_text(config)
    return path


def certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1, made by `openssl`."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert),
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


class Server:
    """`outrig host mcp` over HTTP (HTTPS with `tls`) on a free loopback port, its stderr collected."""

    def __init__(self, config: Path, token: str, tls: tuple[Path, Path] | None = None):
        self.port = free_port()
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}/mcp"
        env = dict(os.environ, OUTRIG_MCP_TOKEN=token, SECRET_TOKEN=SECRET, OUTRIG_LOG="outrig_host=info")
        extra = ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])] if tls else []
        self.process = subprocess.Popen(
            [OUTRIG, "host", "mcp", "--config", str(config), "--listen", f"127.0.0.1:{self.port}",
             "--allow-origin", "http://app.example.test:8443", *extra],
            env=env, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.seen = threading.Condition()
        threading.Thread(target=self._collect, daemon=True).start()
        self.wait_for(f"outrig host mcp on {scheme}://", 120)

    def _collect(self):
        for line in self.process.stderr:
            with self.seen:
                self.lines.append(line)
                self.seen.notify_all()

    def wait_for(self, text: str, seconds: float, count: int = 1) -> str:
        """The `count`-th stderr line holding `text`; `seconds` is a hang guard, not a timing assertion."""
        def matching():
            return [line for line in self.lines if text in line]
        with self.seen:
            self.seen.wait_for(lambda: len(matching()) >= count or self.process.poll() is not None,
                               timeout=seconds)
            found = matching()
        assert len(found) >= count, f"`{text}` appeared {len(found)} of {count} times on stderr: {''.join(self.lines)[-2000:]}"
        return found[count - 1]

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


def text_of(result) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "text", None) is not None)


# The version each client mode agrees on: the handshake era's last, and the current revision.
VERSIONS = {"legacy": "2025-11-25", "auto": "2026-07-28"}

EXAMPLE_TOOLS = ["reconcile_invoices", "invoice_status", "echo", "convert_units", "convert_currency",
                 "describe_numbers", "describe_series"]

HOSTILE_CASES = [
    ("short_spin", "stopped after its 500 ms time limit"),
    ("short_sleep", "stopped after its 500 ms time limit"),
    ("allocate", "exceeded its 160 MiB memory limit"),
    ("flood", "over the 1048576-byte output limit"),
    ("confetti", "over the 100-block output limit"),
    ("read_passwd", "tool failed: cannot read /etc/passwd"),
    ("connect", "tool failed: cannot connect"),
    ("read_env", "tool failed: no SECRET_TOKEN"),
    ("panic", "the hostile plugin panicked on purpose"),
]


async def check_tools(client: Client, how: str):
    listed = await client.list_tools()
    names = [tool.name for tool in listed.tools]
    for name in EXAMPLE_TOOLS + ["spin", "short_spin", "wait_wait_cancel"]:
        assert name in names, f"{how}: {name} missing from {names}"
    status = next(tool for tool in listed.tools if tool.name == "invoice_status")
    assert status.input_schema["required"] == ["id"], status.input_schema
    assert status.output_schema == {"type": "object", "required": ["id", "status"]}, status.output_schema
    assert status.annotations.read_only_hint is True, status.annotations

    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done, total, message):
        progress.append((done, total, message))

    reconciled = await client.call_tool(
        "reconcile_invoices", {"invoices": "invoices.csv", "ledger": "ledger.csv"},
        progress_callback=on_progress)
    assert not reconciled.is_error, text_of(reconciled)
    assert "2 of 4 invoices match; 1 differ; 1 missing in the ledger" in text_of(reconciled)
    assert reconciled.structured_content["missing_in_ledger"] == ["INV-4"], reconciled.structured_content
    assert progress and progress[-1] == (2, 2, "ledger read"), f"{how}: progress {progress}"

    paid = await client.call_tool("invoice_status", {"id": "INV-4"})
    assert not paid.is_error, text_of(paid)
    assert "INV-4 was paid on 2026-11-30." in text_of(paid)
    assert paid.structured_content == {"id": "INV-4", "status": "paid", "paid_at": "2026-11-30"}

    units = await client.call_tool("convert_units", {"value": 100, "from": "F", "to": "C"})
    assert not units.is_error and "37.7" in text_of(units), text_of(units)
    stats = await client.call_tool("describe_numbers", {"values": [1, 2, 3, 4]})
    assert not stats.is_error and "2.5" in text_of(stats), text_of(stats)

    refused = await client.call_tool("invoice_status", {"id": "no spaces allowed"})
    assert refused.is_error and "invalid input" in text_of(refused), text_of(refused)
    print(f"ok  {how}: {len(names)} tools listed; reconcile (progress {progress}), HTTP, JS and Python tools answer")


async def check_hostile(client: Client, how: str):
    results = await asyncio.gather(*(client.call_tool(tool, {}) for tool, _ in HOSTILE_CASES))
    for (tool, expected), result in zip(HOSTILE_CASES, results):
        text = text_of(result)
        assert result.is_error, f"{how}: {tool} must fail: {text[:200]}"
        assert expected in text, f"{how}: {tool}: `{text[:300]}` should contain `{expected}`"
        assert SECRET not in text
    still = await client.call_tool("ok", {})
    assert not still.is_error and text_of(still) == "fine"
    print(f"ok  {how}: {len(HOSTILE_CASES)} hostile calls held (deadline, memory, output, files, network, env)")


async def over_http(server: Server, token: str, mode: str):
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(300)) as http:
        async with Client(streamable_http_client(server.url, http_client=http), mode=mode) as client:
            await check_tools(client, f"HTTP ({mode})")
            await check_hostile(client, f"HTTP ({mode})")
            assert client.protocol_version == VERSIONS[mode], (mode, client.protocol_version)
            await check_cancel(client, server, mode)


async def check_cancel(client: Client, server: Server, mode: str):
    """A request the client gives up on is cancelled; only `cancelled()` can end this call."""
    try:
        await client.call_tool("wait_wait_cancel", {}, read_timeout_seconds=1)
    except Exception as error:  # the SDK raises on its own timeout, then sends the cancel
        print(f"    the client gave up: {type(error).__name__}")
    else:
        raise AssertionError("wait_cancel answered before it was cancelled")
    line = await asyncio.to_thread(server.wait_for, "tool=wait_wait_cancel is_error=true cancelled=true", 120,
                                   list(VERSIONS).index(mode) + 1)
    print(f"ok  HTTP ({mode}, {client.protocol_version}): the cancelled call ended inside the plugin: {line.strip()[-120:]}")


async def refusals(server: Server, token: str):
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "t", "version": "1"}}}
    accept = {"accept": "application/json, text/event-stream", "content-type": "application/json"}
    async with httpx2.AsyncClient(timeout=30) as http:
        for name, extra in [("no token", {}), ("a wrong token", {"authorization": "Bearer " + "x" * 64}),
                            ("a token prefix", {"authorization": "Bearer " + token[:-1]})]:
            response = await http.post(server.url, json=body, headers={**accept, **extra})
            assert response.status_code == 401, f"{name}: {response.status_code} {response.text}"
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert token not in response.text
        good = {**accept, "authorization": f"Bearer {token}"}
        foreign = await http.post(server.url, json=body, headers={**good, "origin": "http://evil.example"})
        assert foreign.status_code == 403, f"foreign Origin: {foreign.status_code} {foreign.text}"
        rebound = await http.post(server.url, json=body, headers={**good, "host": "evil.example"})
        assert rebound.status_code == 403, f"foreign Host: {rebound.status_code} {rebound.text}"
        allowed = await http.post(server.url, json=body,
                                  headers={**good, "origin": "http://app.example.test:8443"})
        assert allowed.status_code == 200, f"allowed Origin: {allowed.status_code} {allowed.text}"
    assert not any(token in line for line in server.lines), "the token appeared on stderr"
    print("ok  HTTP: missing and wrong tokens get 401; a foreign Origin and Host get 403; an allowed Origin passes")


async def over_https(config: Path, directory: Path, token: str):
    """The same endpoint over TLS: a client trusting the certificate lists and calls tools."""
    cert, key = certificate(directory)
    server = Server(config, token, (cert, key))
    try:
        trusted = ssl.create_default_context(cafile=str(cert))
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx2.AsyncClient(headers=headers, verify=trusted, timeout=httpx2.Timeout(300)) as http:
            async with Client(streamable_http_client(server.url, http_client=http)) as client:
                await check_tools(client, "HTTPS")
        async with httpx2.AsyncClient(headers=headers, timeout=30) as untrusting:
            try:
                await untrusting.post(server.url, json={})
            except httpx2.ConnectError as error:
                print(f"    a client without the certificate: {type(error).__name__}")
            else:
                raise AssertionError("a client that does not trust the certificate got an answer")
        plain = server.url.replace("https://", "http://")
        async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
            try:
                await http.post(plain, json={})
            except httpx2.HTTPError as error:
                print(f"    plain HTTP on the TLS port: {type(error).__name__}")
            else:
                raise AssertionError("plain HTTP was answered on the TLS port")
    finally:
        server.stop()
    print("ok  HTTPS: a trusting client is answered; an untrusting one and plain HTTP are not")


async def over_stdio(config: Path):
    params = StdioServerParameters(
        command=OUTRIG, args=["host", "mcp", "--stdio", "--config", str(config)],
        env={"SECRET_TOKEN": SECRET, "PATH": os.environ.get("PATH", "")})
    for mode in VERSIONS:
        async with Client(params, mode=mode) as client:
            assert client.protocol_version == VERSIONS[mode], (mode, client.protocol_version)
            await check_tools(client, f"stdio ({mode})")
            await check_hostile(client, f"stdio ({mode})")


async def main():
    api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), InvoiceApi)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as directory:
        config = grants_file(Path(directory), f"http://127.0.0.1:{api.server_address[1]}")
        token = secrets.token_hex(32)
        server = Server(config, token)
        try:
            await refusals(server, token)
            await over_http(server, token, "legacy")
            await over_http(server, token, "auto")
        finally:
            server.stop()
        await over_https(config, Path(directory), token)
        await over_stdio(config)
    api.shutdown()
    print("all MCP checks passed")


if __name__ == "__main__":
    asyncio.run(main())
