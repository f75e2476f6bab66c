"""What Outrig's SigV4 signers send, captured on the wire (the Rust CLI's requests and the
npm package's `outrig/bedrock`: a GET, a POST with a body, temporary credentials), is byte
for byte what botocore's `SigV4Auth` signs for the same request at the same time. Run after
the npm package is built (`scripts/test.sh`, npm step)."""
import datetime
import http.server
import json
import os
import subprocess
import threading
import unittest
import unittest.mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator_process import ROOT, outrig_binary

KEY_ID, SECRET = "AKIDOUTRIGTEST", "outrig-test-secret-not-a-real-one"

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
