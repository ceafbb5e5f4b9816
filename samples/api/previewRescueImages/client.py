"""The images instance 5203773 can be rescued with, through the generated client (zomro_rescue_client, in generated/python)."""

from zomro_rescue_client import Client
from zomro_rescue_client.api.rescue import preview_rescue_images
from zomro_rescue_client.models import ErrorDoc, RescuePreviewForm

with Client(base_url="https://api.zomro.com/") as client:
    answer = preview_rescue_images.sync(client=client, body=RescuePreviewForm(elid=5203773, auth="43137b5f35a6ba4ee01f4a4e"))
    if answer is None:
        raise SystemExit("no answer: the server answered with a status the contract does not document")
    if isinstance(answer.doc, ErrorDoc):  # BILLmanager answers errors with HTTP 200 and doc.error
        raise SystemExit(f"refused: {answer.doc.error.msg.text}")
    (boot,) = [select for select in answer.doc.slist if select.name == "select_boot"]
    options = boot.val if isinstance(boot.val, list) else [boot.val] if boot.val else []  # one option comes as an object
    for option in options:
        if option.key != "null":  # the form's "nothing chosen" placeholder
            print(option.key, option.depend, option.text)
