"""Rescue images, as the article's table shows them, from BILLmanager's rescue form."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from zomro_rescue_client.models import RescuePreview, SelectList, SelectOption
from zomro_rescue_client.types import Unset

from .errors import ImageChoiceError

# The select list of the rescue form that lists the images (the `select_boot` field).
IMAGE_LIST = "select_boot"
# The form's "nothing chosen" option: not an image (the provider's panel skips it too).
PLACEHOLDER_KEY = "null"


@dataclass(frozen=True)
class Image:
    """One image an instance can be rescued with."""

    uuid: UUID
    os_name: str
    image_name: str | None
    zone: str

    def label(self) -> str:
        return f"{self.os_name} ({self.image_name})" if self.image_name else self.os_name


def _options(select_list: SelectList) -> list[SelectOption]:
    # out=json sends a one-option list as an object, and an empty one without `val`.
    if isinstance(select_list.val, SelectOption):
        return [select_list.val]
    return [] if isinstance(select_list.val, Unset) else list(select_list.val)


def from_preview(preview: RescuePreview) -> list[Image]:
    images = []
    for select_list in preview.doc.slist:
        if select_list.name != IMAGE_LIST:
            continue
        for option in _options(select_list):
            if option.key == PLACEHOLDER_KEY:
                continue
            images.append(
                Image(
                    uuid=UUID(option.key),
                    os_name=option.text,
                    image_name=None if isinstance(option.name, Unset) or not option.name else option.name,
                    zone="" if isinstance(option.depend, Unset) else option.depend,
                )
            )
    return images


def choose(images: list[Image], wanted: str | UUID) -> Image:
    """The image named by UUID or by OS name (case-insensitive).

    A name that matches no image exactly is an ImageChoiceError listing the
    candidates: the images whose name contains it, or else all of them.
    """
    text = str(wanted).strip()
    folded = text.casefold()
    try:
        exact = [image for image in images if image.uuid == UUID(text)]
    except ValueError:
        exact = [image for image in images if folded in (image.os_name.casefold(), (image.image_name or "").casefold())]
    if len(exact) == 1:
        return exact[0]
    close = exact or [image for image in images if folded and folded in image.label().casefold()]
    listing = "; ".join(f"{image.label()} = {image.uuid}" for image in (close or images))
    if len(close) > 1:
        raise ImageChoiceError(f"{text!r} could be {len(close)} images; name one, or give its UUID: {listing}")
    if close:
        raise ImageChoiceError(f"no image is named {text!r}; did you mean {listing}?")
    raise ImageChoiceError(f"no image {text!r} for this instance; choose one of: {listing or 'none listed'}")
