"""medtwin."""
