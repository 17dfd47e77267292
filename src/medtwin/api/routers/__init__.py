"""medtwin.api.routers."""
