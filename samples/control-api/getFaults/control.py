"""The faults still pending, in the order they were added, with the calls each still applies to."""

import httpx

pending = httpx.get("http://127.0.0.1:4010/_mock/faults").raise_for_status().json()
for fault in pending["faults"]:
    print(fault["id"], fault["operation"], fault.get("elid", "any instance"), fault["remaining"], "calls left")
