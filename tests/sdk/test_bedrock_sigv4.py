"""`outrig emulator --platform bedrock`: requests signed by botocore's own SigV4 signer
(service `bedrock`) are accepted under `/anthropic`; an altered body, another key, another
region, an old signature and `x-api-key` are refused, and a Bedrock API key as Bearer is
accepted. (The other way round, Outrig's signatures against botocore's, is
`test_bedrock_signers.py`.)"""
import datetime
import json
import unittest
import unittest.mock
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator_process import Emulator

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


if __name__ == "__main__":
    unittest.main()
