"""medtwin.platform.ranking."""
