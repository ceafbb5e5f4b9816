"""The images instance 5203773 can be rescued with (a preview).

With the generated client, zomro_rescue_client (generated/python).
"""

from zomro_rescue_client import Client
from zomro_rescue_client.api.rescue import preview_rescue_images
from zomro_rescue_client.models import ErrorDoc, RescuePreviewForm

form = RescuePreviewForm(elid=5203773, auth="43137b5f35a6ba4ee01f4a4e")
with Client(base_url="https://api.zomro.com/") as client:
    answer = preview_rescue_images.sync(client=client, body=form)
    if answer is None:
        raise SystemExit("no answer the contract documents")
    # BILLmanager answers errors with HTTP 200, and doc.error.
    if isinstance(answer.doc, ErrorDoc):
        raise SystemExit(f"refused: {answer.doc.error.msg.text}")
    (boot,) = [s for s in answer.doc.slist if s.name == "select_boot"]
    # A list of one option comes as an object, of none without val.
    val = boot.val
    options = val if isinstance(val, list) else [val] if val else []
    for option in options:
        if option.key != "null":  # "null": the "nothing chosen" option
            print(option.key, option.depend, option.text)
