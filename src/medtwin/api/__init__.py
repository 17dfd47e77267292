"""medtwin.api: the HTTP interface (``create_app``), a thin shell over ``platform.services``."""

from medtwin.api.app import create_app

__all__ = ["create_app"]
