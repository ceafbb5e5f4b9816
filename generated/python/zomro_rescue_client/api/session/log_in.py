from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.login_answer import LoginAnswer
from ...models.login_form import LoginForm
from ...types import Response


def _get_kwargs(
    *,
    body: LoginForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/#func=auth",
    }

    _kwargs["files"] = body.to_multipart()

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> LoginAnswer | None:
    if response.status_code == 200:
        response_200 = LoginAnswer.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[LoginAnswer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginForm,
) -> Response[LoginAnswer]:
    """Log in and obtain a session id

     Runs BILLmanager's `auth` function: checks a username and password
    and opens a session. Pass the returned id (`doc.auth.$id`) as `auth`
    in later requests; it stays valid for about an hour after the last
    request that used it. Source: ISPsystem's API guide (the article
    links to it for "other ways to authorize").

    Wire request: `POST /` with `func=auth`, `out=json`, `username` and
    `password`.

    Wrong credentials get an error document, not a session.

    Args:
        body (LoginForm): Body of *log in*. Source: ISPsystem's API guide, and the provider's
            web panel, which sends multipart with `sok=ok`, the reCAPTCHA answer
            and, when ticked, `forget=on`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginAnswer]
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
    body: LoginForm,
) -> LoginAnswer | None:
    """Log in and obtain a session id

     Runs BILLmanager's `auth` function: checks a username and password
    and opens a session. Pass the returned id (`doc.auth.$id`) as `auth`
    in later requests; it stays valid for about an hour after the last
    request that used it. Source: ISPsystem's API guide (the article
    links to it for "other ways to authorize").

    Wire request: `POST /` with `func=auth`, `out=json`, `username` and
    `password`.

    Wrong credentials get an error document, not a session.

    Args:
        body (LoginForm): Body of *log in*. Source: ISPsystem's API guide, and the provider's
            web panel, which sends multipart with `sok=ok`, the reCAPTCHA answer
            and, when ticked, `forget=on`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginAnswer
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginForm,
) -> Response[LoginAnswer]:
    """Log in and obtain a session id

     Runs BILLmanager's `auth` function: checks a username and password
    and opens a session. Pass the returned id (`doc.auth.$id`) as `auth`
    in later requests; it stays valid for about an hour after the last
    request that used it. Source: ISPsystem's API guide (the article
    links to it for "other ways to authorize").

    Wire request: `POST /` with `func=auth`, `out=json`, `username` and
    `password`.

    Wrong credentials get an error document, not a session.

    Args:
        body (LoginForm): Body of *log in*. Source: ISPsystem's API guide, and the provider's
            web panel, which sends multipart with `sok=ok`, the reCAPTCHA answer
            and, when ticked, `forget=on`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginAnswer]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LoginForm,
) -> LoginAnswer | None:
    """Log in and obtain a session id

     Runs BILLmanager's `auth` function: checks a username and password
    and opens a session. Pass the returned id (`doc.auth.$id`) as `auth`
    in later requests; it stays valid for about an hour after the last
    request that used it. Source: ISPsystem's API guide (the article
    links to it for "other ways to authorize").

    Wire request: `POST /` with `func=auth`, `out=json`, `username` and
    `password`.

    Wrong credentials get an error document, not a session.

    Args:
        body (LoginForm): Body of *log in*. Source: ISPsystem's API guide, and the provider's
            web panel, which sends multipart with `sok=ok`, the reCAPTCHA answer
            and, when ticked, `forget=on`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginAnswer
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
