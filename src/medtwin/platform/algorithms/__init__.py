"""medtwin.platform.algorithms."""
