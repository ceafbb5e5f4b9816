"""Drop every pending fault: the next calls get the world's answers
again."""

import httpx

httpx.delete("http://127.0.0.1:4010/_mock/faults").raise_for_status()
print("no fault is pending")
