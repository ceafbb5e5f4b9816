"""An hour and a second passes in the world at once: every session idle
since its last request expires (the default idle time is an hour), and
a `seconds:N` transition whose time has come settles."""

import httpx

url = "http://127.0.0.1:4010/_mock/clock/advance"
answer = httpx.post(url, json={"seconds": 3601})
passed = answer.raise_for_status().json()
print(
    "now", passed["now"], "-", passed["expired_sessions"], "sessions expired"
)
for instance in passed["settled"]:
    print("instance", instance["elid"], "is now", instance["status"])
