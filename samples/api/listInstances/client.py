"""The first page of the account's instances and their status, through the generated client (zomro_rescue_client)."""

from zomro_rescue_client import Client
from zomro_rescue_client.api.instances import list_instances
from zomro_rescue_client.models import ErrorDoc, InstanceListForm

form = InstanceListForm(auth="43137b5f35a6ba4ee01f4a4e", lang="en", p_cnt=10, p_num=1)
with Client(base_url="https://api.zomro.com/") as client:
    answer = list_instances.sync(client=client, body=form)
    if answer is None:
        raise SystemExit("no answer: the server answered with a status the contract does not document")
    if isinstance(answer.doc, ErrorDoc):  # BILLmanager answers errors with HTTP 200 and doc.error
        raise SystemExit(f"refused: {answer.doc.error.msg.text}")
    elems = answer.doc.elem if isinstance(answer.doc.elem, list) else [answer.doc.elem] if answer.doc.elem else []
    print(f"{len(elems)} of {answer.doc.p_elems.text} instances")
    for instance in elems:  # every value is text, read as .text (its `$`)
        status = instance.instance_status.text if instance.instance_status else ""
        name = instance.name.text if instance.name else ""
        print(instance.id.text, status, name)
