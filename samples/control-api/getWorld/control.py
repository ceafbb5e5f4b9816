"""The world as it is now: each account, its instances with their status
now, and its live sessions (masked)."""

import httpx

answer = httpx.get("http://127.0.0.1:4010/_mock/world")
world = answer.raise_for_status().json()
print("transitions:", world["transitions"])
for account in world["accounts"]:
    for instance in account["instances"]:
        print(account["username"], instance["elid"], instance["status"])
