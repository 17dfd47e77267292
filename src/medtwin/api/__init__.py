"""medtwin.api: the HTTP interface (``create_app``), a thin shell over the use cases."""

from medtwin.api.app import create_app

__all__ = ["create_app"]
