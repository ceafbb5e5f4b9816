"""The world's time, whether it is frozen, and how far it is from real
time (offset_seconds: ahead after an advance)."""

import httpx

answer = httpx.get("http://127.0.0.1:4010/_mock/clock")
clock = answer.raise_for_status().json()
state = "frozen" if clock["frozen"] else "running"
print(clock["now"], state, f"{clock['offset_seconds']:+.3f} s")
