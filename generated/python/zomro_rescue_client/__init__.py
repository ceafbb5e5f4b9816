"""A client library for accessing Zomro Cloud VPS rescue API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
