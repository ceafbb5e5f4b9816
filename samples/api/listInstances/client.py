"""The first page of the account's instances and their status.

With the generated client, zomro_rescue_client (generated/python).
"""

from zomro_rescue_client import Client
from zomro_rescue_client.api.instances import list_instances
from zomro_rescue_client.models import ErrorDoc, InstanceListForm

form = InstanceListForm(
    auth="43137b5f35a6ba4ee01f4a4e", lang="en", p_cnt=10, p_num=1
)
with Client(base_url="https://api.zomro.com/") as client:
    answer = list_instances.sync(client=client, body=form)
    if answer is None:
        raise SystemExit("no answer the contract documents")
    # BILLmanager answers errors with HTTP 200, and doc.error.
    if isinstance(answer.doc, ErrorDoc):
        raise SystemExit(f"refused: {answer.doc.error.msg.text}")
    doc = answer.doc
    # A page of one instance comes as an object, of none without elem.
    elem = doc.elem
    page = elem if isinstance(elem, list) else [elem] if elem else []
    print(f"{doc.p_elems.text} instances in all")
    for item in page:  # every value is text: its `$`, read as .text
        status = item.instance_status.text if item.instance_status else ""
        print(item.id.text, status, item.name.text if item.name else "")
