"""medtwin.platform."""
