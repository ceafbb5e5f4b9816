"""Boot instance 5203773 from a rescue image.

With the generated client, zomro_rescue_client (generated/python).
select_boot and zone are an image's $key and $depend in the preview.
"""

from uuid import UUID

from zomro_rescue_client import Client
from zomro_rescue_client.api.rescue import rescue_instance
from zomro_rescue_client.models import ErrorDoc, RescueForm, RescueFormZone

form = RescueForm(
    elid=5203773,
    select_boot=UUID("f8f2573f-56c4-44c5-8469-84eee4aa64e7"),
    zone=RescueFormZone("pub"),
    password="MyPassword1",
    auth="43137b5f35a6ba4ee01f4a4e",
)
with Client(base_url="https://api.zomro.com/") as client:
    answer = rescue_instance.sync(client=client, body=form)
    if answer is None:
        raise SystemExit("no answer the contract documents")
    # BILLmanager answers errors with HTTP 200, and doc.error.
    if isinstance(answer.doc, ErrorDoc):
        raise SystemExit(f"refused: {answer.doc.error.msg.text}")
    print("5203773 is being rescued: list it until it shows `rescued`")
