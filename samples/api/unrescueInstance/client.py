"""Leave rescue mode: boot instance 5203773 from its own disk again, through the generated client (zomro_rescue_client)."""

from zomro_rescue_client import Client
from zomro_rescue_client.api.rescue import unrescue_instance
from zomro_rescue_client.models import ErrorDoc, UnrescueForm

with Client(base_url="https://api.zomro.com/") as client:
    answer = unrescue_instance.sync(client=client, body=UnrescueForm(elid=5203773, auth="0b31d69ab7b7b4839dfd6506"))
    if answer is None:
        raise SystemExit("no answer: the server answered with a status the contract does not document")
    if isinstance(answer.doc, ErrorDoc):  # BILLmanager answers errors with HTTP 200 and doc.error
        raise SystemExit(f"refused: {answer.doc.error.msg.text}")
    print("instance 5203773 is leaving rescue mode: list the instances until it shows `active`")
