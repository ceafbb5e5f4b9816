"""Back to the world the mock started with; the journal and pending faults are cleared. Before each test."""

import httpx

world = httpx.post("http://127.0.0.1:4010/_mock/reset").raise_for_status().json()
for account in world["accounts"]:
    print(account["username"], [(instance["elid"], instance["status"]) for instance in account["instances"]])
