"""medtwin.api."""
