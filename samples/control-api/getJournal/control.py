"""The requests the emulated API answered, oldest first: the operation,
its fields (secrets masked) and the answer. Filter with
params={"operation": "rescueInstance"}, {"func": ...} or {"elid": ...}."""

import httpx

answer = httpx.get("http://127.0.0.1:4010/_mock/journal")
for entry in answer.raise_for_status().json()["entries"]:
    elid = entry["fields"].get("elid", "-")
    print(entry["seq"], entry["operation"], elid, entry["answer"])
