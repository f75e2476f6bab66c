"""`outrig emulator --platform bedrock`: requests signed by botocore's own SigV4 signer
(service `bedrock`) are accepted under `/anthropic`; an altered body, another key, another
region, an old signature and `x-api-key` are refused, and a Bedrock API key as Bearer is
accepted. And the other way: what Outrig's signers send (the Rust CLI's, the npm
package's) is byte for byte what botocore signs for the same request at the same time."""
import datetime
import http.server
import json
import os
import subprocess
import threading
import unittest
import unittest.mock
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator_process import ROOT, Emulator, outrig_binary

KEY_ID, SECRET = "AKIDOUTRIGTEST", "outrig-test-secret-not-a-real-one"
HEADERS = {"content-type": "application/json", "anthropic-version": "2026-10-21",
           "anthropic-beta": "managed-agents-2026-04-01"}


class BedrockSignatures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator("--platform", "bedrock", "--region", "us-west-2",
                                "--aws-key", f"{KEY_ID}:{SECRET}", "--api-key", "bedrock-api-key").__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.emulator.__exit__(None, None, None)

    def signed(self, method, path, body=None, key=(KEY_ID, SECRET), region="us-west-2"):
        request = AWSRequest(method=method, url=self.emulator.base_url + path,
                             data=json.dumps(body).encode() if body is not None else None, headers=dict(HEADERS))
        SigV4Auth(Credentials(*key), "bedrock", region).add_auth(request)
        return request

    def send(self, request, data=None):
        prepared = request.prepare()
        sent = urllib.request.Request(prepared.url, method=prepared.method,
                                      data=data if data is not None else prepared.body,
                                      headers=dict(prepared.headers))
        try:
            with urllib.request.urlopen(sent) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def test_a_botocore_signed_request_is_accepted_and_serves_the_api(self):
        role = {"type": "aws_role", "role_arn": "arn:aws:iam::111122223333:role/outrig"}
        status, agent = self.send(self.signed("POST", "/anthropic/v1/agents?beta=true",
                                              {"name": "signed", "model": "us.anthropic.claude-opus-4-6",
                                               "execution_identity": role}))
        self.assertEqual(status, 200, agent)
        status, page = self.send(self.signed("GET", f"/anthropic/v1/agents?beta=true&limit=5"))
        self.assertEqual(status, 200, page)
        self.assertIn(agent["id"], [a["id"] for a in page["data"]])

    def test_altered_or_foreign_signatures_are_refused_with_the_reason(self):
        body = {"name": "x", "model": "claude-opus-4-6"}
        cases = [
            ("another body", self.signed("POST", "/anthropic/v1/agents?beta=true", body),
             json.dumps({"name": "y", "model": "claude-opus-4-6"}).encode(), "does not match"),
            ("another secret", self.signed("POST", "/anthropic/v1/agents?beta=true", body, key=(KEY_ID, "wrong")),
             None, "does not match"),
            ("an unknown key", self.signed("POST", "/anthropic/v1/agents?beta=true", body, key=("AKIDNOBODY", "s")),
             None, "not known"),
            ("another region", self.signed("POST", "/anthropic/v1/agents?beta=true", body, region="eu-west-1"),
             None, "eu-west-1"),
        ]
        for what, request, data, reason in cases:
            status, answer = self.send(request, data)
            self.assertEqual(status, 403, what)
            self.assertIn(reason, answer["error"]["message"], what)
            self.assertNotIn(SECRET, json.dumps(answer))

    def test_an_old_signature_is_refused(self):
        request = AWSRequest(method="GET", url=self.emulator.base_url + "/anthropic/v1/agents?beta=true",
                             headers=dict(HEADERS))
        auth = SigV4Auth(Credentials(KEY_ID, SECRET), "bedrock", "us-west-2")
        # botocore reads the time from botocore.auth.get_current_datetime: signed in 2020.
        with unittest.mock.patch("botocore.auth.get_current_datetime",
                                 return_value=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)):
            auth.add_auth(request)
        self.assertEqual(request.headers["X-Amz-Date"], "20200101T000000Z")
        status, answer = self.send(request)
        self.assertEqual(status, 403)
        self.assertIn("15 minutes", answer["error"]["message"])

    def test_api_keys_and_paths_as_bedrock_takes_them(self):
        def plain(path, headers):
            request = urllib.request.Request(self.emulator.base_url + path, headers={**HEADERS, **headers})
            try:
                with urllib.request.urlopen(request) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
        self.assertEqual(plain("/anthropic/v1/agents?beta=true", {"authorization": "Bearer bedrock-api-key"}), 200)
        self.assertEqual(plain("/anthropic/v1/agents?beta=true", {"authorization": "Bearer wrong"}), 401)
        self.assertEqual(plain("/anthropic/v1/agents?beta=true", {"x-api-key": "bedrock-api-key"}), 403)
        self.assertEqual(plain("/v1/agents?beta=true", {"authorization": "Bearer bedrock-api-key"}), 404)


class Capture(http.server.BaseHTTPRequestHandler):
    """Records each request as it arrived and answers an empty page."""
    seen = []

    def answer(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        Capture.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        payload = json.dumps({"data": [], "next_page": None}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


NPM_SIGNED = """
import { OutrigBedrock } from "%s/artifacts/npm/outrig/bedrock-node.js";
const client = new OutrigBedrock({ region: "us-west-2", baseURL: process.argv[2], maxRetries: 0,
  credentials: { accessKeyId: "%s", secretAccessKey: "%s", sessionToken: "session-token-value" } });
await client.agents.list({ limit: 2 });
await client.memoryStores.create({ name: "notes", description: "signed by the npm package" }).catch(() => {});
"""


class OutrigSignsAsBotocore(unittest.TestCase):
    def setUp(self):
        Capture.seen = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Capture)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def assert_botocore_agrees(self, token=None):
        self.assertTrue(Capture.seen)
        for method, path, headers, body in Capture.seen:
            authorization = headers["authorization"]
            signed = authorization.split("SignedHeaders=")[1].split(",")[0].split(";")
            self.assertIn("host", signed)
            given = {name: headers[name] for name in signed if name not in ("host", "x-amz-date", "x-amz-security-token")}
            request = AWSRequest(method=method, url=self.base + path, data=body or None, headers=given)
            at = datetime.datetime.strptime(headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
            with unittest.mock.patch("botocore.auth.get_current_datetime", return_value=at):
                SigV4Auth(Credentials(KEY_ID, SECRET, token), "bedrock", "us-west-2").add_auth(request)
            self.assertEqual(request.headers["Authorization"], authorization, f"{method} {path}")

    def test_the_rust_client_s_signatures(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("ANTHROPIC_")}
        env.update(AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION="us-west-2")
        for args in (["agents", "list"], ["agents", "create", "--name", "signed", "--model", "us.anthropic.claude-sonnet-5-5"]):
            subprocess.run([outrig_binary(), *args, "--platform", "bedrock", "--base-url", self.base + "/anthropic"],
                           env=env, capture_output=True, text=True)
        self.assertEqual([m for m, *_ in Capture.seen], ["GET", "POST"])
        self.assertTrue(Capture.seen[1][3], "the POST has a body")
        self.assert_botocore_agrees()

    def test_the_npm_package_s_signatures(self):
        script = NPM_SIGNED % (ROOT, KEY_ID, SECRET)
        run = subprocess.run(["node", "--input-type=module", "-", self.base + "/anthropic"], input=script,
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual([m for m, *_ in Capture.seen], ["GET", "POST"])
        self.assertEqual(Capture.seen[0][2]["x-amz-security-token"], "session-token-value")
        self.assert_botocore_agrees(token="session-token-value")


if __name__ == "__main__":
    unittest.main()
