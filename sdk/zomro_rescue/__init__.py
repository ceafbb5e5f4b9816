"""Rescue a Zomro Cloud VPS instance: list rescue images, enter and leave rescue mode, follow its status, log in.

A small layer over the generated client (zomro_rescue_client) that hides
BILLmanager's quirks: errors that come with HTTP 200, lists that are objects
when they have one element, the placeholder option, and sessions.

    from zomro_rescue import RescueClient

    with RescueClient(username="me@example.com", password="...") as zomro:
        for image in zomro.images(5203773):
            print(image.uuid, image.os_name)
        zomro.rescue(5203773, "Debian 12", password="MyPassword1")
        zomro.wait_for(5203773, "rescued", timeout=600)  # lists the instances every 10 s; WaitTimeout after 600 s
        zomro.unrescue(5203773)
"""

from .client import AsyncRescueClient, Preview, RescueClient
from .errors import (
    ApiError,
    ArgumentError,
    ImageChoiceError,
    LoginRefused,
    PasswordRuleError,
    TransportError,
    WaitDeadEnd,
    WaitTimeout,
    ZomroRescueError,
)
from .images import Image, UnusableImage
from .instances import Instance, InstanceNotFound
from .passwords import check_rescue_password

__all__ = [
    "ApiError",
    "ArgumentError",
    "AsyncRescueClient",
    "Image",
    "ImageChoiceError",
    "Instance",
    "InstanceNotFound",
    "LoginRefused",
    "PasswordRuleError",
    "Preview",
    "RescueClient",
    "TransportError",
    "UnusableImage",
    "WaitDeadEnd",
    "WaitTimeout",
    "ZomroRescueError",
    "check_rescue_password",
]
