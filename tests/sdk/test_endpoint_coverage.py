"""Every Managed Agents endpoint the official Python SDK (anthropic==2.16.0) calls is served
by the emulator: the endpoints are read out of the SDK's own resource classes (method and
path of each `self._get/_post/_delete` call), then each is requested with unknown ids and
must reach a handler (a 404 for the missing object, a 400 for the empty body) rather than
the router's "no such endpoint" or a 405."""
import pathlib
import re
import unittest
import urllib.error
import urllib.request

import anthropic

from emulator_process import Emulator

FAMILIES = r"/v1/(agents|environments|sessions|vaults|deployments|deployment_runs|memory_stores|dreams|tunnels|skills|files|organizations/webhooks)\b"
BETAS = "managed-agents-2026-04-01,agent-memory-2026-07-22,dreaming-2026-04-21,mcp-tunnels-2026-06-22,files-api-2025-04-14,webhooks-2026-10-07"


def sdk_endpoints():
    """(METHOD, path template) of every call in the SDK's synchronous beta resources."""
    root = pathlib.Path(anthropic.__file__).parent / "resources" / "beta"
    found = set()
    for source in root.rglob("*.py"):
        for block in re.split(r"\nclass ", source.read_text()):
            name = block.split("(")[0]
            if name.startswith("Async") or "Response" in name:
                continue
            for call in re.finditer(r"self\._(get|post|delete|put|patch|get_api_list)\(\s*(?:path_template\(\s*)?\"([^\"]+)\"", block):
                method = "GET" if call.group(1) == "get_api_list" else call.group(1).upper()
                if re.match(FAMILIES, call.group(2)):
                    found.add((method, call.group(2)))
    return sorted(found)


class EveryEndpointIsServed(unittest.TestCase):
    def test_every_sdk_endpoint_reaches_a_handler(self):
        endpoints = sdk_endpoints()
        # 105 Managed Agents endpoints and the 6 organization webhook endpoints.
        self.assertGreaterEqual(len(endpoints), 111, "the SDK's endpoints could not be read")
        unserved = []
        with Emulator() as emulator:
            for method, path in endpoints:
                url = emulator.base_url + re.sub(r"\{[a-z_]+\}", "x_missing", path)
                request = urllib.request.Request(url, method=method, data=b"{}" if method == "POST" else None,
                                                 headers={"x-api-key": "k", "content-type": "application/json", "anthropic-beta": BETAS})
                try:
                    urllib.request.urlopen(request).read()
                    status, body = 200, ""
                except urllib.error.HTTPError as error:
                    status, body = error.code, error.read().decode()
                if status == 405 or "no such endpoint" in body:
                    unserved.append(f"{method} {path} ({status})")
        self.assertEqual(unserved, [], f"{len(unserved)} of {len(endpoints)} endpoints are not served")


if __name__ == "__main__":
    unittest.main(verbosity=2)
