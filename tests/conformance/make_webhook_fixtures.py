"""Writes tests/fixtures/webhooks.json: deliveries signed by the reference Standard Webhooks
library (`pip install standardwebhooks==1.0.1`), which crates/api/tests/webhook.rs verifies
with outrig-api and signs again, byte for byte. Run from the repository root."""
import json
from datetime import datetime, timezone

from standardwebhooks import Webhook

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
bodies = [
    '{"test": 2432232314}',
    json.dumps({"type": "event", "id": "wevt_1", "created_at": "2026-12-01T10:00:00Z",
                "data": {"type": "session.requires_action", "id": "sesn_1", "organization_id": "org_1", "workspace_id": "wrkspc_1"}}),
    json.dumps({"type": "event", "id": "wevt_2", "created_at": "2026-12-01T10:00:01Z",
                "data": {"type": "session.thread_idled", "id": "sesn_1", "organization_id": "org_1", "workspace_id": "wrkspc_1", "session_thread_id": "sthr_1"}}),
    "ünïcödé body ✓",
]
cases = []
for n, body in enumerate(bodies):
    msg_id, timestamp = f"msg_{n}", 1614265330 + n
    signature = Webhook(SECRET).sign(msg_id, datetime.fromtimestamp(timestamp, tz=timezone.utc), body)
    cases.append({"id": msg_id, "timestamp": timestamp, "body": body, "signature": signature})
with open("tests/fixtures/webhooks.json", "w") as out:
    json.dump({"secret": SECRET, "signed_by": "standardwebhooks 1.0.1", "cases": cases}, out, indent=2, ensure_ascii=False)
    out.write("\n")
