from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="InstanceStatus")


@_attrs_define
class InstanceStatus:
    """The instance's state (Fleio's, through BILLmanager), as `.$`. Compare
    it trimmed and in lower case, as the provider's panel does. The set is
    open: a value not listed here is a state all the same, so treat it as
    "unknown, wait" rather than as an error.

    | value | what it means | what you can do next |
    |---|---|---|
    | `active` | running normally | rescue |
    | `stopped` | powered off | rescue |
    | `rescuing` | booting into rescue mode | wait, then list again |
    | `rescued` | in rescue mode: log in to the rescue system | repair, then unrescue |
    | `unrescuing` | booting from its own disk again | wait, then list again |
    | `stopping`, `starting`, `creating`, `building`, `resizing`, `processing`, `rebooting`, `rebuilding`, `suspending`,
    `booting_from_iso`, `image_uploading` | another action runs | wait: every call about the instance is refused
    meanwhile ("Request in process, please wait") |
    | `resized` | a resize waits to be confirmed | no rescue until it is confirmed |
    | `booted_from_iso` | booted from an ISO image | no rescue until it boots normally |
    | `suspended` | suspended by the provider | contact the provider |
    | `error` | the last action failed | contact the provider |

    Source: the values the provider's web panel compares against, and
    which actions it offers in each; the server's own list is not
    public.

        Attributes:
            text (str | Unset): The state, such as `active`, `rescuing` or `rescued`; the `examples` list every value known
                (the table above).
    """

    text: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if text is not UNSET:
            field_dict["$"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("$", UNSET)

        instance_status = cls(
            text=text,
        )

        return instance_status
