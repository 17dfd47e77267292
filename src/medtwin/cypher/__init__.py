"""medtwin.cypher."""
