"""medtwin.loaders."""
