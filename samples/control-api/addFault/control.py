"""The next rescue of instance 5203773 is refused as busy (the
contract's `busy` example), whatever the world says."""

import httpx

fault = {"operation": "rescueInstance", "elid": 5203773, "error": "busy"}
answer = httpx.post("http://127.0.0.1:4010/_mock/faults", json=fault)
added = answer.raise_for_status().json()
print(f"fault {added['id']} pending for {added['remaining']} call(s)")
