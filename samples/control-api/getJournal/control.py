"""The requests the emulated API answered, oldest first: the operation, its fields (secrets masked), the answer.

Filter with params={"operation": "rescueInstance"}, {"func": ...} or {"elid": ...}.
"""

import httpx

journal = httpx.get("http://127.0.0.1:4010/_mock/journal").raise_for_status().json()
for entry in journal["entries"]:
    print(entry["seq"], entry["operation"], entry["fields"].get("elid", "-"), entry["answer"])
