"""Log in, list the rescue images, rescue with one of them, see its status, and unrescue, with the generated client.

    python examples/client_usage.py http://127.0.0.1:4010 ELID

Checked with `mypy --strict` (`make typecheck`): the generated package is typed end to end.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Protocol, TypeVar
from uuid import UUID

from zomro_contract.billmanager import as_list
from zomro_rescue_client import Client
from zomro_rescue_client.api.instances import list_instances
from zomro_rescue_client.api.rescue import preview_rescue_images, rescue_instance, unrescue_instance
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import (
    ErrorDoc,
    InstanceListForm,
    LoginForm,
    RescueForm,
    RescueFormZone,
    RescuePreviewForm,
    SelectOption,
    UnrescueForm,
)

Doc = TypeVar("Doc", covariant=True)


class Answer(Protocol[Doc]):
    """Every answer: `{"doc": ...}`, its `doc` the operation's success document or BILLmanager's error."""

    @property
    def doc(self) -> Doc | ErrorDoc: ...


class ApiError(Exception):
    pass


def checked(result: Answer[Doc] | None) -> Doc:
    """The success document, or an exception for BILLmanager's error document."""
    if result is None:
        raise ApiError("the server answered with an undocumented status")
    if isinstance(result.doc, ErrorDoc):
        error = result.doc.error
        raise ApiError(f"{error.type_} error on {error.object_ or '-'}: {error.msg.text or ''}")
    return result.doc


def images(client: Client, session: str, elid: int) -> list[SelectOption]:
    preview = checked(preview_rescue_images.sync(client=client, body=RescuePreviewForm(elid=elid, auth=session)))
    (boot_list,) = [s for s in preview.slist if s.name == "select_boot"]
    # out=json sends a one-option list as an object, and an empty one without `val`.
    options: list[SelectOption] = as_list(boot_list.val or None)
    return [option for option in options if option.key != "null"]


def status(client: Client, session: str, elid: int) -> str:
    """The instance's status from the instance list (its first page is enough for a small account)."""
    listed = checked(list_instances.sync(client=client, body=InstanceListForm(auth=session, p_cnt=100, p_num=1)))
    for item in as_list(listed.elem or None):
        if item.id.text == str(elid) and item.instance_status:
            return str(item.instance_status.text or "").strip().lower()
    raise ApiError(f"instance {elid} is not in the first page of the instance list")


def main(base_url: str, elid: int, username: str, password: str) -> None:
    with Client(base_url=base_url) as client:
        session = checked(log_in.sync(client=client, body=LoginForm(username=username, password=password))).auth.id
        found = images(client, session, elid)
        for option in found:
            print(f"{option.key}  {option.depend!s:<4}  {option.text}")
        image = found[0]
        if not isinstance(image.depend, str):
            raise ApiError(f"image {image.key} names no zone")
        rescue = RescueForm(
            elid=elid,
            select_boot=UUID(image.key),
            zone=RescueFormZone(image.depend),
            password=os.environ.get("RESCUE_PASSWORD", "MyPassword1"),
            auth=session,
        )
        checked(rescue_instance.sync(client=client, body=rescue))
        print(f"instance {elid} is being rescued with {image.text}; its status: {status(client, session, elid)}")
        checked(unrescue_instance.sync(client=client, body=UnrescueForm(elid=elid, auth=session)))
        print(f"instance {elid} is leaving rescue mode")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    user = os.environ.get("ZOMRO_USERNAME") or input("username: ")
    secret = os.environ.get("ZOMRO_PASSWORD") or getpass.getpass("password: ")
    main(sys.argv[1], int(sys.argv[2]), user, secret)
