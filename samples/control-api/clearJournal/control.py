"""Forget every request received so far; the world and the faults stay
as they are."""

import httpx

httpx.delete("http://127.0.0.1:4010/_mock/journal").raise_for_status()
print("the journal is empty")
