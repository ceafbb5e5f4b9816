from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ok_answer import OkAnswer
from ...models.rescue_form import RescueForm
from ...types import Response


def _get_kwargs(
    *,
    body: RescueForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/#func=instances.fleio.rescue&sok=ok",
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
    body: RescueForm,
) -> Response[OkAnswer]:
    """Boot an instance from a rescue image

     Runs `instances.fleio.rescue` **with `sok=ok`**: the instance is
    rebooted from the chosen rescue image, with its own disk attached so
    that it can be repaired. It stays in rescue mode until *unrescue an
    instance*.

    Wire request: `POST /` with `func=instances.fleio.rescue`, `out=json`,
    `sok=ok`, `elid`, `select_boot`, `zone`, an optional `password`, and
    credentials.

    Take `select_boot` and `zone` from the *preview* of the same instance
    (an option's `$key` and `$depend`). Set a `password` to be able to log
    in to the rescue system; Windows images get one generated for them.
    Fleio allows rescue only from an active or stopped instance: an
    instance already in rescue (panel states `rescuing`, `rescued`) gets
    an error document.

    Success is `{"doc": {"ok": {}}}`; the rescue itself then runs
    asynchronously: *list instances* shows the instance `rescuing`, then
    `rescued` once it can be logged in to.

    The provider's web panel sends the same request urlencoded, with
    `lang=en`, `password_type`, `password=` (empty when none was typed)
    and, when it loaded the account's keys, `ssh_keys`.

    Args:
        body (RescueForm): Body of *rescue an instance*. `sok=ok` confirms the operation.

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
    body: RescueForm,
) -> OkAnswer | None:
    """Boot an instance from a rescue image

     Runs `instances.fleio.rescue` **with `sok=ok`**: the instance is
    rebooted from the chosen rescue image, with its own disk attached so
    that it can be repaired. It stays in rescue mode until *unrescue an
    instance*.

    Wire request: `POST /` with `func=instances.fleio.rescue`, `out=json`,
    `sok=ok`, `elid`, `select_boot`, `zone`, an optional `password`, and
    credentials.

    Take `select_boot` and `zone` from the *preview* of the same instance
    (an option's `$key` and `$depend`). Set a `password` to be able to log
    in to the rescue system; Windows images get one generated for them.
    Fleio allows rescue only from an active or stopped instance: an
    instance already in rescue (panel states `rescuing`, `rescued`) gets
    an error document.

    Success is `{"doc": {"ok": {}}}`; the rescue itself then runs
    asynchronously: *list instances* shows the instance `rescuing`, then
    `rescued` once it can be logged in to.

    The provider's web panel sends the same request urlencoded, with
    `lang=en`, `password_type`, `password=` (empty when none was typed)
    and, when it loaded the account's keys, `ssh_keys`.

    Args:
        body (RescueForm): Body of *rescue an instance*. `sok=ok` confirms the operation.

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
    body: RescueForm,
) -> Response[OkAnswer]:
    """Boot an instance from a rescue image

     Runs `instances.fleio.rescue` **with `sok=ok`**: the instance is
    rebooted from the chosen rescue image, with its own disk attached so
    that it can be repaired. It stays in rescue mode until *unrescue an
    instance*.

    Wire request: `POST /` with `func=instances.fleio.rescue`, `out=json`,
    `sok=ok`, `elid`, `select_boot`, `zone`, an optional `password`, and
    credentials.

    Take `select_boot` and `zone` from the *preview* of the same instance
    (an option's `$key` and `$depend`). Set a `password` to be able to log
    in to the rescue system; Windows images get one generated for them.
    Fleio allows rescue only from an active or stopped instance: an
    instance already in rescue (panel states `rescuing`, `rescued`) gets
    an error document.

    Success is `{"doc": {"ok": {}}}`; the rescue itself then runs
    asynchronously: *list instances* shows the instance `rescuing`, then
    `rescued` once it can be logged in to.

    The provider's web panel sends the same request urlencoded, with
    `lang=en`, `password_type`, `password=` (empty when none was typed)
    and, when it loaded the account's keys, `ssh_keys`.

    Args:
        body (RescueForm): Body of *rescue an instance*. `sok=ok` confirms the operation.

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
    body: RescueForm,
) -> OkAnswer | None:
    """Boot an instance from a rescue image

     Runs `instances.fleio.rescue` **with `sok=ok`**: the instance is
    rebooted from the chosen rescue image, with its own disk attached so
    that it can be repaired. It stays in rescue mode until *unrescue an
    instance*.

    Wire request: `POST /` with `func=instances.fleio.rescue`, `out=json`,
    `sok=ok`, `elid`, `select_boot`, `zone`, an optional `password`, and
    credentials.

    Take `select_boot` and `zone` from the *preview* of the same instance
    (an option's `$key` and `$depend`). Set a `password` to be able to log
    in to the rescue system; Windows images get one generated for them.
    Fleio allows rescue only from an active or stopped instance: an
    instance already in rescue (panel states `rescuing`, `rescued`) gets
    an error document.

    Success is `{"doc": {"ok": {}}}`; the rescue itself then runs
    asynchronously: *list instances* shows the instance `rescuing`, then
    `rescued` once it can be logged in to.

    The provider's web panel sends the same request urlencoded, with
    `lang=en`, `password_type`, `password=` (empty when none was typed)
    and, when it loaded the account's keys, `ssh_keys`.

    Args:
        body (RescueForm): Body of *rescue an instance*. `sok=ok` confirms the operation.

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
