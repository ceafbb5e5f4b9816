"""`zomro-rescue world`: an account, recorded as a world for `zomro-rescue-mock --world`, so that CI runs against a
mock shaped like it.

It reads, and only reads: the instance list, page by page, then each instance's
rescue preview, a second apart against the provider's API (`pacing`, as the
probe). It writes the world in the mock's `World` format (the mock's
control-api.yaml): the instances with their status, OS name and IP, the rescue
images each is offered, the images' zones. No secret: the account's password
and its session ids become placeholders that work in the mock as they are, and
the file's first lines say how to set them. What the format cannot hold (an
image whose key is not a UUID, a status it does not allow) is left out, and the
file says so. The bounds below are the World format's; a test holds them to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from .client import ELID_MAXIMUM, RescueClient
from .errors import ApiError
from .images import Image
from .instances import Instance, InstanceNotFound
from .pacing import Pace, interval_for

# The World format's bounds (mock/zomro_mock/control-api.yaml): a value past one would make the file refused.
NAME_LENGTH, OS_NAME_LENGTH, IP_LENGTH, USERNAME_LENGTH = 255, 255, 64, 254
STATUS = re.compile(r"[a-z_]{1,64}")
USERNAME = re.compile(r"[^\x00-\x20\x7f:]{1,254}")
OWN_ZONE = "own"  # an account's own images; the others are offered to every instance (World.images)
# Placeholders where a secret would go: valid as they are, so that the world loads and its sessions work in the mock.
PLACEHOLDER_USERNAME = "your-login@example.com"
PLACEHOLDER_PASSWORD = "Replace-With-Your-Password-1"
PLACEHOLDER_SESSION = "replaceWithYourSessionId"


class PacedClient(RescueClient):
    """A RescueClient that keeps `pacing`'s interval between two requests (pages, previews, a new login)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pace = Pace(interval_for(self.base_url))

    def _call(self, what: str, operation: Any, body: Any) -> dict[str, Any]:
        self.pace.wait()
        return super()._call(what, operation, body)


@dataclass
class Recorded:
    """The world (the `World` format, as data), and what was left out of it or changed, for the file to say."""

    world: dict[str, Any]
    instances: int
    images: int
    notes: list[str] = field(default_factory=list)


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _chosen(listed: list[Instance], wanted: Sequence[int]) -> list[Instance]:
    if not wanted:
        return listed
    known = {instance.elid for instance in listed}
    missing = [elid for elid in wanted if elid not in known]
    if missing:
        raise InstanceNotFound(
            f"instance {', '.join(map(str, missing))} is not in the account's instance list: `zomro-rescue instances` lists those it has"
        )
    return [instance for instance in listed if instance.elid in set(wanted)]


def record(client: RescueClient, wanted: Sequence[int] = (), username: str | None = None) -> Recorded:
    """The account's instances (those `wanted`, or all), each with the images its preview offers."""
    notes: list[str] = []
    images: dict[str, dict[str, Any]] = {}  # by key, in the order first offered: offered to every instance
    own: dict[str, dict[str, Any]] = {}
    offered: dict[int, list[str]] = {}
    instances: list[dict[str, Any]] = []
    for instance in _chosen(client.instances(), wanted):
        entry = _instance(instance, notes, client)
        if entry is None:
            continue
        try:
            preview = client.preview(instance.elid)
        except ApiError as error:  # a preview refused (the instance busy, say): it is offered none here
            notes.append(
                f"instance {instance.elid}: its preview was refused ({_one_line(client.hide_secrets(str(error)), 160)}): no image here"
            )
            preview = None
        keys: list[str] = []
        for image in preview.images if preview else []:
            key, shown = str(image.uuid), _image(image)  # a UUID's text is lower case, as the World format writes keys
            table = own if image.zone == OWN_ZONE else images
            first = images.get(key) or own.get(key)
            if first is not None and first != shown:  # the world offers one image by one key: the first seen stays
                notes.append(
                    f"instance {instance.elid} is offered image {key} as {image.label()!r} in zone {image.zone}; kept as first seen"
                )
            elif first is None:
                table[key] = shown
            keys.append(key)
        for unusable in preview.unusable if preview else []:
            notes.append(f"instance {instance.elid}: an image left out: {_one_line(client.hide_secrets(unusable.problem), 160)}")
        offered[instance.elid] = keys
        instances.append(entry)
    every = [*images, *own]
    for entry in instances:
        keys = offered[entry["elid"]]
        if keys != every:  # absent, an instance is offered every image of the world and its account's own
            entry["images"] = keys
    account: dict[str, Any] = {
        "username": username if username and USERNAME.fullmatch(username) else PLACEHOLDER_USERNAME,
        "password": PLACEHOLDER_PASSWORD,
        "sessions": [PLACEHOLDER_SESSION],
        "own_images": [{k: v for k, v in image.items() if k != "zone"} for image in own.values()],
        "instances": instances,
    }
    world = {"images": list(images.values()), "accounts": [account]}
    return Recorded(world, len(instances), len(every), notes)


def _instance(instance: Instance, notes: list[str], client: RescueClient) -> dict[str, Any] | None:
    """An instance as the World format writes it; None, with a note, when the format cannot hold it."""
    if instance.elid > ELID_MAXIMUM:
        notes.append(f"instance {instance.elid}: left out, its ID is beyond the contract's bound")
        return None
    if not STATUS.fullmatch(instance.status):
        shown = repr(_one_line(client.hide_secrets(instance.status), 40)) if instance.status else "none"
        notes.append(f"instance {instance.elid}: left out, its status {shown} is not one the World format takes (a-z and _)")
        return None
    entry: dict[str, Any] = {"elid": instance.elid, "name": instance.name[:NAME_LENGTH], "status": instance.status}
    entry["os_name"] = instance.os_name[:OS_NAME_LENGTH]
    entry["ip"] = instance.ip[:IP_LENGTH]
    return entry


def _image(image: Image) -> dict[str, Any]:
    shown: dict[str, Any] = {"key": str(image.uuid), "os_name": image.os_name[:OS_NAME_LENGTH], "zone": image.zone}
    if image.image_name:
        shown["name"] = image.image_name[:NAME_LENGTH]
    return shown


def as_yaml(recorded: Recorded, source: str) -> str:
    """The world file: what it is and how to set its placeholders, in comments first, then the world."""
    instances = f"{recorded.instances} instance{'s' if recorded.instances != 1 else ''}"
    images = f"{recorded.images} rescue image{'s' if recorded.images != 1 else ''}"
    head = [
        "A world for `zomro-rescue-mock --world FILE` (the World format of the mock's control-api.yaml),",
        f"recorded by `zomro-rescue world` from {source}:",
        f"{instances} with their status, OS name and IP, and the {images} they are offered.",
        "No secret is written here: `password` and `sessions` are placeholders, which work in the mock as they are.",
        "Set `password` to the one your tests log in with and `sessions` to the ids they send as `auth`",
        "(letters and digits), or keep these. `username` is the account's, or a placeholder when none was given.",
        *(f"Note: {note}" for note in recorded.notes),
    ]
    comments = "".join(f"# {_one_line(line, 400)}\n" for line in head)
    return comments + yaml.safe_dump(recorded.world, sort_keys=False, allow_unicode=True, width=200, default_flow_style=None)
