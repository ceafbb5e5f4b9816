"""Replace the world: one account with one stopped instance, whose
passing statuses settle after two reads. POST /_mock/reset goes back to
the world the mock started with."""

import httpx

world = {
    "transitions": {"after": "reads", "count": 2},
    "images": [
        {
            "key": "6f1c2a4e-8b3d-4c5e-9f70-a1b2c3d4e5f6",
            "os_name": "SystemRescue 11",
            "zone": "pub",
        }
    ],
    "accounts": [
        {
            "username": "ci@example.com",
            "password": "Ci-Secret-1",
            "sessions": ["c1c1c1c1c1c1c1c1c1c1c1c1"],
            "instances": [
                {
                    "elid": 42,
                    "name": "db-1",
                    "status": "stopped",
                    "os_name": "Debian 12",
                    "ip": "192.0.2.42",
                }
            ],
        }
    ],
}
answer = httpx.put("http://127.0.0.1:4010/_mock/world", json=world)
for account in answer.raise_for_status().json()["accounts"]:
    print(account["username"], [i["elid"] for i in account["instances"]])
