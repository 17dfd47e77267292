"""medtwin.store."""
