"""Back to the world the mock started with; the journal and the pending
faults are cleared. Call it before each test that relies on state."""

import httpx

answer = httpx.post("http://127.0.0.1:4010/_mock/reset")
world = answer.raise_for_status().json()
for account in world["accounts"]:
    for instance in account["instances"]:
        print(account["username"], instance["elid"], instance["status"])
