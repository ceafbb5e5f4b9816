"""Rescue images, as the article's table shows them, from BILLmanager's rescue form.

Read as a server may send them: an option with a key that is no UUID, no
name, or a zone the contract does not list for rescue is kept apart, with the
reason, and the rest of the list stays usable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from zomro_contract.billmanager import as_list
from zomro_rescue_client.models import RescueFormZone

from .errors import ImageChoiceError

# The select list of the rescue form that lists the images (the `select_boot` field).
IMAGE_LIST = "select_boot"
# The form's "nothing chosen" option: not an image (the provider's panel skips it too).
PLACEHOLDER_KEY = "null"
# The zones a rescue may name: the contract's, through the generated client.
RESCUE_ZONES = tuple(zone.value for zone in RescueFormZone)


@dataclass(frozen=True)
class Image:
    """One image an instance can be rescued with."""

    uuid: UUID
    os_name: str
    image_name: str | None
    zone: str

    def label(self) -> str:
        return f"{self.os_name} ({self.image_name})" if self.image_name else self.os_name


@dataclass(frozen=True)
class UnusableImage:
    """An option of the form that cannot be sent back as a rescue image, and why."""

    key: str
    os_name: str
    zone: str
    problem: str

    def label(self) -> str:
        return self.os_name or self.key or "an unnamed option"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _read(option: Any) -> Image | UnusableImage:
    if not isinstance(option, dict):
        return UnusableImage("", "", "", "the option is not an object")
    key, os_name, zone = _text(option.get("$key")), _text(option.get("$")), _text(option.get("$depend"))
    problems = []
    try:
        uuid = UUID(key)
    except ValueError:
        problems.append(f"its key {key!r} is not a UUID" if key else "it has no key")
    if not os_name:
        problems.append("it has no name")
    if zone not in RESCUE_ZONES:
        zones = f"this API's contract lists {', '.join(RESCUE_ZONES)} for a rescue"
        problems.append(f"its zone {zone!r} is not one {zones}" if zone else f"it names no zone, and {zones}")
    if problems:
        return UnusableImage(key, os_name, zone, "; ".join(problems))
    return Image(uuid=uuid, os_name=os_name, image_name=_text(option.get("$name")) or None, zone=zone)


def from_doc(doc: dict[str, Any]) -> tuple[list[Image], list[UnusableImage]]:
    """The images of a preview's `doc`: those a rescue can name, and those it cannot."""
    usable: list[Image] = []
    unusable: list[UnusableImage] = []
    for select_list in as_list(doc.get("slist")):
        if not isinstance(select_list, dict) or select_list.get("$name") != IMAGE_LIST:
            continue
        for option in as_list(select_list.get("val")):
            if isinstance(option, dict) and option.get("$key") == PLACEHOLDER_KEY:
                continue
            image = _read(option)
            (usable if isinstance(image, Image) else unusable).append(image)  # type: ignore[arg-type]
    return usable, unusable


def choose(images: list[Image], wanted: str | UUID, unusable: list[UnusableImage] | None = None) -> Image:
    """The image named by UUID or by OS name (case-insensitive).

    A name that matches no image exactly is an ImageChoiceError listing the
    candidates: the images whose name contains it, or else all of them; one
    that names an image that cannot be used says why.
    """
    text = str(wanted).strip()
    if not text:
        raise ImageChoiceError("no image given: give its UUID, or its OS name as `images` lists it")
    folded = text.casefold()
    try:
        exact = [image for image in images if image.uuid == UUID(text)]
    except ValueError:
        exact = [image for image in images if folded in (image.os_name.casefold(), (image.image_name or "").casefold())]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        for image in unusable or []:
            if folded in (image.key.casefold(), image.os_name.casefold()):
                raise ImageChoiceError(f"the image {image.label()!r} cannot be used: {image.problem}; choose another")
    close = exact or [image for image in images if folded in image.label().casefold()]
    listing = "; ".join(f"{image.label()} = {image.uuid}" for image in (close or images))
    if len(close) > 1:
        raise ImageChoiceError(f"{text!r} could be {len(close)} images; name one, or give its UUID: {listing}")
    if close:
        raise ImageChoiceError(f"no image is named {text!r}; did you mean {listing}?")
    raise ImageChoiceError(f"no image {text!r} for this instance; choose one of: {listing or 'none listed'}")
