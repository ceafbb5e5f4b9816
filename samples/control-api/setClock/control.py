"""Freeze the world's clock at a date: from now on only an advance moves
it, and the journal's stamps are the same on every run. A reset lets it
run again; {"frozen": False} does too, from where it stands."""

import httpx

setting = {"frozen": True, "now": "2026-01-01T00:00:00Z"}
answer = httpx.put("http://127.0.0.1:4010/_mock/clock", json=setting)
clock = answer.raise_for_status().json()
print(clock["now"], "frozen" if clock["frozen"] else "running")
