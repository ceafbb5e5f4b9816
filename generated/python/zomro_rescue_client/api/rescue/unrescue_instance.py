from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ok_answer import OkAnswer
from ...models.unrescue_form import UnrescueForm
from ...types import Response


def _get_kwargs(
    *,
    body: UnrescueForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/#func=instances.fleio.unrescue",
    }

    _kwargs["files"] = body.to_multipart()

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OkAnswer | None:
    if response.status_code == 200:
        response_200 = OkAnswer.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[OkAnswer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UnrescueForm,
) -> Response[OkAnswer]:
    """Leave rescue mode and boot the instance normally

     Runs `instances.fleio.unrescue`: the instance is rebooted from its own
    disk and becomes active again. As in the article, no `sok` is sent.

    Wire request: `POST /` with `func=instances.fleio.unrescue`,
    `out=json`, `elid` and credentials.

    Only an instance in rescue mode can leave it (Nova allows unrescue
    only from its `RESCUE` state); any other instance gets an error
    document. The instance then shows `unrescuing` in *list instances*,
    and `active` once it has booted from its own disk.

    Args:
        body (UnrescueForm): Body of *unrescue an instance*. The article and the provider's web
            panel send no `sok`; a provisioning tool sends `sok=ok`, which is
            accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OkAnswer]
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
    body: UnrescueForm,
) -> OkAnswer | None:
    """Leave rescue mode and boot the instance normally

     Runs `instances.fleio.unrescue`: the instance is rebooted from its own
    disk and becomes active again. As in the article, no `sok` is sent.

    Wire request: `POST /` with `func=instances.fleio.unrescue`,
    `out=json`, `elid` and credentials.

    Only an instance in rescue mode can leave it (Nova allows unrescue
    only from its `RESCUE` state); any other instance gets an error
    document. The instance then shows `unrescuing` in *list instances*,
    and `active` once it has booted from its own disk.

    Args:
        body (UnrescueForm): Body of *unrescue an instance*. The article and the provider's web
            panel send no `sok`; a provisioning tool sends `sok=ok`, which is
            accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OkAnswer
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UnrescueForm,
) -> Response[OkAnswer]:
    """Leave rescue mode and boot the instance normally

     Runs `instances.fleio.unrescue`: the instance is rebooted from its own
    disk and becomes active again. As in the article, no `sok` is sent.

    Wire request: `POST /` with `func=instances.fleio.unrescue`,
    `out=json`, `elid` and credentials.

    Only an instance in rescue mode can leave it (Nova allows unrescue
    only from its `RESCUE` state); any other instance gets an error
    document. The instance then shows `unrescuing` in *list instances*,
    and `active` once it has booted from its own disk.

    Args:
        body (UnrescueForm): Body of *unrescue an instance*. The article and the provider's web
            panel send no `sok`; a provisioning tool sends `sok=ok`, which is
            accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OkAnswer]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UnrescueForm,
) -> OkAnswer | None:
    """Leave rescue mode and boot the instance normally

     Runs `instances.fleio.unrescue`: the instance is rebooted from its own
    disk and becomes active again. As in the article, no `sok` is sent.

    Wire request: `POST /` with `func=instances.fleio.unrescue`,
    `out=json`, `elid` and credentials.

    Only an instance in rescue mode can leave it (Nova allows unrescue
    only from its `RESCUE` state); any other instance gets an error
    document. The instance then shows `unrescuing` in *list instances*,
    and `active` once it has booted from its own disk.

    Args:
        body (UnrescueForm): Body of *unrescue an instance*. The article and the provider's web
            panel send no `sok`; a provisioning tool sends `sok=ok`, which is
            accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OkAnswer
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
