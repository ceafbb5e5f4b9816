"""The faults still pending, in the order they were added, with the
calls each still applies to."""

import httpx

answer = httpx.get("http://127.0.0.1:4010/_mock/faults")
for fault in answer.raise_for_status().json()["faults"]:
    elid = fault.get("elid", "any instance")
    print(fault["id"], fault["operation"], elid, fault["remaining"])
