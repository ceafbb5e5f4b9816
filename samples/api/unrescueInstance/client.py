"""Leave rescue mode: boot instance 5203773 from its own disk again.

With the generated client, zomro_rescue_client (generated/python).
"""

from zomro_rescue_client import Client
from zomro_rescue_client.api.rescue import unrescue_instance
from zomro_rescue_client.models import ErrorDoc, UnrescueForm

form = UnrescueForm(elid=5203773, auth="0b31d69ab7b7b4839dfd6506")
with Client(base_url="https://api.zomro.com/") as client:
    answer = unrescue_instance.sync(client=client, body=form)
    if answer is None:
        raise SystemExit("no answer the contract documents")
    # BILLmanager answers errors with HTTP 200, and doc.error.
    if isinstance(answer.doc, ErrorDoc):
        raise SystemExit(f"refused: {answer.doc.error.msg.text}")
    print("5203773 is leaving rescue mode: list it until it shows `active`")
