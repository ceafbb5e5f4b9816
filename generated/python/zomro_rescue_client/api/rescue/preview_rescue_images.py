from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.rescue_preview_answer import RescuePreviewAnswer
from ...models.rescue_preview_form import RescuePreviewForm
from ...types import Response


def _get_kwargs(
    *,
    body: RescuePreviewForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/#func=instances.fleio.rescue",
    }

    _kwargs["files"] = body.to_multipart()

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> RescuePreviewAnswer | None:
    if response.status_code == 200:
        response_200 = RescuePreviewAnswer.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[RescuePreviewAnswer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RescuePreviewForm,
) -> Response[RescuePreviewAnswer]:
    """List the images an instance can be rescued with

     Runs `instances.fleio.rescue` **without `sok`**: nothing changes on
    the instance; the answer is the rescue form, whose select lists name
    every image the instance can be rescued with.

    Wire request: `POST /` with `func=instances.fleio.rescue`, `out=json`,
    `elid` and credentials, and no `sok` field.

    Reading the answer: `doc.slist` holds one select list named `zone`
    (options such as `pub` and `own`; the panel knows `shr` too) and one
    named `select_boot`. Each
    `select_boot` option is an image: `$key` its UUID, `$` its OS name,
    `$depend` the zone it belongs to, and, for `own` images, `$name` the
    image's own name. Skip an option whose `$key` is the string `"null"`:
    it is the form's "nothing chosen" placeholder, not an image. A list
    with one option comes as an object, not an array. Pass the chosen
    option's `$key` as `select_boot` and its `$depend` as `zone` to
    *rescue an instance*.

    Args:
        body (RescuePreviewForm): Body of *preview rescue images*. The absence of `sok` is what
            makes it a preview.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[RescuePreviewAnswer]
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
    body: RescuePreviewForm,
) -> RescuePreviewAnswer | None:
    """List the images an instance can be rescued with

     Runs `instances.fleio.rescue` **without `sok`**: nothing changes on
    the instance; the answer is the rescue form, whose select lists name
    every image the instance can be rescued with.

    Wire request: `POST /` with `func=instances.fleio.rescue`, `out=json`,
    `elid` and credentials, and no `sok` field.

    Reading the answer: `doc.slist` holds one select list named `zone`
    (options such as `pub` and `own`; the panel knows `shr` too) and one
    named `select_boot`. Each
    `select_boot` option is an image: `$key` its UUID, `$` its OS name,
    `$depend` the zone it belongs to, and, for `own` images, `$name` the
    image's own name. Skip an option whose `$key` is the string `"null"`:
    it is the form's "nothing chosen" placeholder, not an image. A list
    with one option comes as an object, not an array. Pass the chosen
    option's `$key` as `select_boot` and its `$depend` as `zone` to
    *rescue an instance*.

    Args:
        body (RescuePreviewForm): Body of *preview rescue images*. The absence of `sok` is what
            makes it a preview.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        RescuePreviewAnswer
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RescuePreviewForm,
) -> Response[RescuePreviewAnswer]:
    """List the images an instance can be rescued with

     Runs `instances.fleio.rescue` **without `sok`**: nothing changes on
    the instance; the answer is the rescue form, whose select lists name
    every image the instance can be rescued with.

    Wire request: `POST /` with `func=instances.fleio.rescue`, `out=json`,
    `elid` and credentials, and no `sok` field.

    Reading the answer: `doc.slist` holds one select list named `zone`
    (options such as `pub` and `own`; the panel knows `shr` too) and one
    named `select_boot`. Each
    `select_boot` option is an image: `$key` its UUID, `$` its OS name,
    `$depend` the zone it belongs to, and, for `own` images, `$name` the
    image's own name. Skip an option whose `$key` is the string `"null"`:
    it is the form's "nothing chosen" placeholder, not an image. A list
    with one option comes as an object, not an array. Pass the chosen
    option's `$key` as `select_boot` and its `$depend` as `zone` to
    *rescue an instance*.

    Args:
        body (RescuePreviewForm): Body of *preview rescue images*. The absence of `sok` is what
            makes it a preview.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[RescuePreviewAnswer]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: RescuePreviewForm,
) -> RescuePreviewAnswer | None:
    """List the images an instance can be rescued with

     Runs `instances.fleio.rescue` **without `sok`**: nothing changes on
    the instance; the answer is the rescue form, whose select lists name
    every image the instance can be rescued with.

    Wire request: `POST /` with `func=instances.fleio.rescue`, `out=json`,
    `elid` and credentials, and no `sok` field.

    Reading the answer: `doc.slist` holds one select list named `zone`
    (options such as `pub` and `own`; the panel knows `shr` too) and one
    named `select_boot`. Each
    `select_boot` option is an image: `$key` its UUID, `$` its OS name,
    `$depend` the zone it belongs to, and, for `own` images, `$name` the
    image's own name. Skip an option whose `$key` is the string `"null"`:
    it is the form's "nothing chosen" placeholder, not an image. A list
    with one option comes as an object, not an array. Pass the chosen
    option's `$key` as `select_boot` and its `$depend` as `zone` to
    *rescue an instance*.

    Args:
        body (RescuePreviewForm): Body of *preview rescue images*. The absence of `sok` is what
            makes it a preview.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        RescuePreviewAnswer
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
