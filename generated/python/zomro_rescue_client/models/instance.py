from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.instance_status import InstanceStatus
    from ..models.text import Text


T = TypeVar("T", bound="Instance")


@_attrs_define
class Instance:
    """One Cloud VPS instance of the list. Every value is an element with
    text (`.$`). The fields described are those the provider's web panel
    reads; a list carries other columns too, which are left open. The
    panel called `instance_status` `fotbo_status` before mid-2024.

        Attributes:
            id (Text): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            servername (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            name (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            instance_status (InstanceStatus | Unset): The instance's state (Fleio's, through BILLmanager), as `.$`. Compare
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
                | `stopping`, `starting`, `creating`, `building`, `resizing`, `processing`, `rebooting`, `rebuilding`,
                `suspending`, `booting_from_iso`, `image_uploading` | another action runs | wait: every call about the instance
                is refused meanwhile ("Request in process, please wait") |
                | `resized` | a resize waits to be confirmed | no rescue until it is confirmed |
                | `booted_from_iso` | booted from an ISO image | no rescue until it boots normally |
                | `suspended` | suspended by the provider | contact the provider |
                | `error` | the last action failed | contact the provider |

                Source: the values the provider's web panel compares against, and
                which actions it offers in each; the server's own list is not
                public.
            item_status (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            status (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            instances_os (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            os_distro (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            os_version (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            pricelist (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            change_pricelist (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            cost (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            datacentername (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            createdate (list[Text] | Text | Unset): When the instance was ordered. The panel once received it as an
                array of text elements, and takes the first.
            ip (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
            ip_v6 (Text | Unset): An XML element with text only, as `out=json` maps it (`"$"` is the text).
    """

    id: Text
    servername: Text | Unset = UNSET
    name: Text | Unset = UNSET
    instance_status: InstanceStatus | Unset = UNSET
    item_status: Text | Unset = UNSET
    status: Text | Unset = UNSET
    instances_os: Text | Unset = UNSET
    os_distro: Text | Unset = UNSET
    os_version: Text | Unset = UNSET
    pricelist: Text | Unset = UNSET
    change_pricelist: Text | Unset = UNSET
    cost: Text | Unset = UNSET
    datacentername: Text | Unset = UNSET
    createdate: list[Text] | Text | Unset = UNSET
    ip: Text | Unset = UNSET
    ip_v6: Text | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.text import Text  # noqa: PLC0415

        id = self.id.to_dict()

        servername: dict[str, Any] | Unset = UNSET
        if not isinstance(self.servername, Unset):
            servername = self.servername.to_dict()

        name: dict[str, Any] | Unset = UNSET
        if not isinstance(self.name, Unset):
            name = self.name.to_dict()

        instance_status: dict[str, Any] | Unset = UNSET
        if not isinstance(self.instance_status, Unset):
            instance_status = self.instance_status.to_dict()

        item_status: dict[str, Any] | Unset = UNSET
        if not isinstance(self.item_status, Unset):
            item_status = self.item_status.to_dict()

        status: dict[str, Any] | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.to_dict()

        instances_os: dict[str, Any] | Unset = UNSET
        if not isinstance(self.instances_os, Unset):
            instances_os = self.instances_os.to_dict()

        os_distro: dict[str, Any] | Unset = UNSET
        if not isinstance(self.os_distro, Unset):
            os_distro = self.os_distro.to_dict()

        os_version: dict[str, Any] | Unset = UNSET
        if not isinstance(self.os_version, Unset):
            os_version = self.os_version.to_dict()

        pricelist: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pricelist, Unset):
            pricelist = self.pricelist.to_dict()

        change_pricelist: dict[str, Any] | Unset = UNSET
        if not isinstance(self.change_pricelist, Unset):
            change_pricelist = self.change_pricelist.to_dict()

        cost: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cost, Unset):
            cost = self.cost.to_dict()

        datacentername: dict[str, Any] | Unset = UNSET
        if not isinstance(self.datacentername, Unset):
            datacentername = self.datacentername.to_dict()

        createdate: dict[str, Any] | list[dict[str, Any]] | Unset
        if isinstance(self.createdate, Unset):
            createdate = UNSET
        elif isinstance(self.createdate, Text):
            createdate = self.createdate.to_dict()
        else:
            createdate = []
            for createdate_type_1_item_data in self.createdate:
                createdate_type_1_item = createdate_type_1_item_data.to_dict()
                createdate.append(createdate_type_1_item)

        ip: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ip, Unset):
            ip = self.ip.to_dict()

        ip_v6: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ip_v6, Unset):
            ip_v6 = self.ip_v6.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if servername is not UNSET:
            field_dict["servername"] = servername
        if name is not UNSET:
            field_dict["name"] = name
        if instance_status is not UNSET:
            field_dict["instance_status"] = instance_status
        if item_status is not UNSET:
            field_dict["item_status"] = item_status
        if status is not UNSET:
            field_dict["status"] = status
        if instances_os is not UNSET:
            field_dict["instances_os"] = instances_os
        if os_distro is not UNSET:
            field_dict["os_distro"] = os_distro
        if os_version is not UNSET:
            field_dict["os_version"] = os_version
        if pricelist is not UNSET:
            field_dict["pricelist"] = pricelist
        if change_pricelist is not UNSET:
            field_dict["change_pricelist"] = change_pricelist
        if cost is not UNSET:
            field_dict["cost"] = cost
        if datacentername is not UNSET:
            field_dict["datacentername"] = datacentername
        if createdate is not UNSET:
            field_dict["createdate"] = createdate
        if ip is not UNSET:
            field_dict["ip"] = ip
        if ip_v6 is not UNSET:
            field_dict["ip_v6"] = ip_v6

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instance_status import InstanceStatus  # noqa: PLC0415
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        id = Text.from_dict(d.pop("id"))

        _servername = d.pop("servername", UNSET)
        servername: Text | Unset
        if isinstance(_servername, Unset):
            servername = UNSET
        else:
            servername = Text.from_dict(_servername)

        _name = d.pop("name", UNSET)
        name: Text | Unset
        if isinstance(_name, Unset):
            name = UNSET
        else:
            name = Text.from_dict(_name)

        _instance_status = d.pop("instance_status", UNSET)
        instance_status: InstanceStatus | Unset
        if isinstance(_instance_status, Unset):
            instance_status = UNSET
        else:
            instance_status = InstanceStatus.from_dict(_instance_status)

        _item_status = d.pop("item_status", UNSET)
        item_status: Text | Unset
        if isinstance(_item_status, Unset):
            item_status = UNSET
        else:
            item_status = Text.from_dict(_item_status)

        _status = d.pop("status", UNSET)
        status: Text | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = Text.from_dict(_status)

        _instances_os = d.pop("instances_os", UNSET)
        instances_os: Text | Unset
        if isinstance(_instances_os, Unset):
            instances_os = UNSET
        else:
            instances_os = Text.from_dict(_instances_os)

        _os_distro = d.pop("os_distro", UNSET)
        os_distro: Text | Unset
        if isinstance(_os_distro, Unset):
            os_distro = UNSET
        else:
            os_distro = Text.from_dict(_os_distro)

        _os_version = d.pop("os_version", UNSET)
        os_version: Text | Unset
        if isinstance(_os_version, Unset):
            os_version = UNSET
        else:
            os_version = Text.from_dict(_os_version)

        _pricelist = d.pop("pricelist", UNSET)
        pricelist: Text | Unset
        if isinstance(_pricelist, Unset):
            pricelist = UNSET
        else:
            pricelist = Text.from_dict(_pricelist)

        _change_pricelist = d.pop("change_pricelist", UNSET)
        change_pricelist: Text | Unset
        if isinstance(_change_pricelist, Unset):
            change_pricelist = UNSET
        else:
            change_pricelist = Text.from_dict(_change_pricelist)

        _cost = d.pop("cost", UNSET)
        cost: Text | Unset
        if isinstance(_cost, Unset):
            cost = UNSET
        else:
            cost = Text.from_dict(_cost)

        _datacentername = d.pop("datacentername", UNSET)
        datacentername: Text | Unset
        if isinstance(_datacentername, Unset):
            datacentername = UNSET
        else:
            datacentername = Text.from_dict(_datacentername)

        def _parse_createdate(data: object) -> list[Text] | Text | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                createdate_type_0 = Text.from_dict(data)

                return createdate_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            createdate_type_1 = []
            _createdate_type_1 = data
            for createdate_type_1_item_data in _createdate_type_1:
                createdate_type_1_item = Text.from_dict(createdate_type_1_item_data)

                createdate_type_1.append(createdate_type_1_item)

            return createdate_type_1

        createdate = _parse_createdate(d.pop("createdate", UNSET))

        _ip = d.pop("ip", UNSET)
        ip: Text | Unset
        if isinstance(_ip, Unset):
            ip = UNSET
        else:
            ip = Text.from_dict(_ip)

        _ip_v6 = d.pop("ip_v6", UNSET)
        ip_v6: Text | Unset
        if isinstance(_ip_v6, Unset):
            ip_v6 = UNSET
        else:
            ip_v6 = Text.from_dict(_ip_v6)

        instance = cls(
            id=id,
            servername=servername,
            name=name,
            instance_status=instance_status,
            item_status=item_status,
            status=status,
            instances_os=instances_os,
            os_distro=os_distro,
            os_version=os_version,
            pricelist=pricelist,
            change_pricelist=change_pricelist,
            cost=cost,
            datacentername=datacentername,
            createdate=createdate,
            ip=ip,
            ip_v6=ip_v6,
        )

        instance.additional_properties = d
        return instance

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
