from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.instance_list_answer import InstanceListAnswer
from ...models.instance_list_form import InstanceListForm
from ...types import Response


def _get_kwargs(
    *,
    body: InstanceListForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/#func=instances",
    }

    _kwargs["files"] = body.to_multipart()

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> InstanceListAnswer | None:
    if response.status_code == 200:
        response_200 = InstanceListAnswer.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[InstanceListAnswer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: InstanceListForm,
) -> Response[InstanceListAnswer]:
    """List the account's Cloud VPS instances, with their status

     Runs BILLmanager's `instances` list: one page of the account's Cloud
    VPS instances, each with its status. It is the one way known to learn
    that an instance is `rescuing` or `rescued`: the provider's web panel
    has no cheaper status call.

    Wire request: `POST /` with `func=instances`, `out=json`, credentials
    and, optionally, the paging fields `p_cnt`, `p_num` and `p_col`.
    Source: the provider's web panel, which sends exactly these (plus
    `lang=en`). It is not in the article.

    **After a rescue or unrescue, poll this list** until the instance's
    `instance_status.$` is no longer one of the busy values (`rescuing`,
    `unrescuing`, ...: see `InstanceStatus`). The panel polls every
    10 seconds while any instance is busy; poll no faster. To watch one
    instance the panel first sets a filter (`func=instances.filter`,
    `sok=ok`, `id=<elid>`) and then lists; that function is not described
    here, so page through the list and find the instance's `id` instead.

    Reading the answer: `doc.elem` is the page's instances, an object
    when there is one (the one-element rule) and absent when there is
    none; `doc.p_elems.$` is how many there are in all, `doc.p_cnt.$`
    the page size and `doc.p_num.$` the page. Every value is read as
    `.$`, as text.

    A public provisioning tool lists instances with `func=v2.instances`
    instead, and reads `id`, `name` and an IP from `ip`, `mainipaddress`,
    `ipaddr` or `addr` of each `doc.elem`. Nothing more is known of that
    function, and it is not described here.

    Args:
        body (InstanceListForm): Body of *list instances*. Source: the provider's web panel. The
            paging
            fields are optional; without them the server picks its own page size.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InstanceListAnswer]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: InstanceListForm,
) -> InstanceListAnswer | None:
    """List the account's Cloud VPS instances, with their status

     Runs BILLmanager's `instances` list: one page of the account's Cloud
    VPS instances, each with its status. It is the one way known to learn
    that an instance is `rescuing` or `rescued`: the provider's web panel
    has no cheaper status call.

    Wire request: `POST /` with `func=instances`, `out=json`, credentials
    and, optionally, the paging fields `p_cnt`, `p_num` and `p_col`.
    Source: the provider's web panel, which sends exactly these (plus
    `lang=en`). It is not in the article.

    **After a rescue or unrescue, poll this list** until the instance's
    `instance_status.$` is no longer one of the busy values (`rescuing`,
    `unrescuing`, ...: see `InstanceStatus`). The panel polls every
    10 seconds while any instance is busy; poll no faster. To watch one
    instance the panel first sets a filter (`func=instances.filter`,
    `sok=ok`, `id=<elid>`) and then lists; that function is not described
    here, so page through the list and find the instance's `id` instead.

    Reading the answer: `doc.elem` is the page's instances, an object
    when there is one (the one-element rule) and absent when there is
    none; `doc.p_elems.$` is how many there are in all, `doc.p_cnt.$`
    the page size and `doc.p_num.$` the page. Every value is read as
    `.$`, as text.

    A public provisioning tool lists instances with `func=v2.instances`
    instead, and reads `id`, `name` and an IP from `ip`, `mainipaddress`,
    `ipaddr` or `addr` of each `doc.elem`. Nothing more is known of that
    function, and it is not described here.

    Args:
        body (InstanceListForm): Body of *list instances*. Source: the provider's web panel. The
            paging
            fields are optional; without them the server picks its own page size.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InstanceListAnswer
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: InstanceListForm,
) -> Response[InstanceListAnswer]:
    """List the account's Cloud VPS instances, with their status

     Runs BILLmanager's `instances` list: one page of the account's Cloud
    VPS instances, each with its status. It is the one way known to learn
    that an instance is `rescuing` or `rescued`: the provider's web panel
    has no cheaper status call.

    Wire request: `POST /` with `func=instances`, `out=json`, credentials
    and, optionally, the paging fields `p_cnt`, `p_num` and `p_col`.
    Source: the provider's web panel, which sends exactly these (plus
    `lang=en`). It is not in the article.

    **After a rescue or unrescue, poll this list** until the instance's
    `instance_status.$` is no longer one of the busy values (`rescuing`,
    `unrescuing`, ...: see `InstanceStatus`). The panel polls every
    10 seconds while any instance is busy; poll no faster. To watch one
    instance the panel first sets a filter (`func=instances.filter`,
    `sok=ok`, `id=<elid>`) and then lists; that function is not described
    here, so page through the list and find the instance's `id` instead.

    Reading the answer: `doc.elem` is the page's instances, an object
    when there is one (the one-element rule) and absent when there is
    none; `doc.p_elems.$` is how many there are in all, `doc.p_cnt.$`
    the page size and `doc.p_num.$` the page. Every value is read as
    `.$`, as text.

    A public provisioning tool lists instances with `func=v2.instances`
    instead, and reads `id`, `name` and an IP from `ip`, `mainipaddress`,
    `ipaddr` or `addr` of each `doc.elem`. Nothing more is known of that
    function, and it is not described here.

    Args:
        body (InstanceListForm): Body of *list instances*. Source: the provider's web panel. The
            paging
            fields are optional; without them the server picks its own page size.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InstanceListAnswer]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: InstanceListForm,
) -> InstanceListAnswer | None:
    """List the account's Cloud VPS instances, with their status

     Runs BILLmanager's `instances` list: one page of the account's Cloud
    VPS instances, each with its status. It is the one way known to learn
    that an instance is `rescuing` or `rescued`: the provider's web panel
    has no cheaper status call.

    Wire request: `POST /` with `func=instances`, `out=json`, credentials
    and, optionally, the paging fields `p_cnt`, `p_num` and `p_col`.
    Source: the provider's web panel, which sends exactly these (plus
    `lang=en`). It is not in the article.

    **After a rescue or unrescue, poll this list** until the instance's
    `instance_status.$` is no longer one of the busy values (`rescuing`,
    `unrescuing`, ...: see `InstanceStatus`). The panel polls every
    10 seconds while any instance is busy; poll no faster. To watch one
    instance the panel first sets a filter (`func=instances.filter`,
    `sok=ok`, `id=<elid>`) and then lists; that function is not described
    here, so page through the list and find the instance's `id` instead.

    Reading the answer: `doc.elem` is the page's instances, an object
    when there is one (the one-element rule) and absent when there is
    none; `doc.p_elems.$` is how many there are in all, `doc.p_cnt.$`
    the page size and `doc.p_num.$` the page. Every value is read as
    `.$`, as text.

    A public provisioning tool lists instances with `func=v2.instances`
    instead, and reads `id`, `name` and an IP from `ip`, `mainipaddress`,
    `ipaddr` or `addr` of each `doc.elem`. Nothing more is known of that
    function, and it is not described here.

    Args:
        body (InstanceListForm): Body of *list instances*. Source: the provider's web panel. The
            paging
            fields are optional; without them the server picks its own page size.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InstanceListAnswer
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
