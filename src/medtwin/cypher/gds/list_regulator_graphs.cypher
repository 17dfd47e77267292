// Names of the shared regulatory-network projections in the GDS graph catalog.
// Parameters: none. Returns: name (string).
CALL gds.graph.list() YIELD graphName
WITH graphName WHERE graphName STARTS WITH 'regnet_'
RETURN graphName AS name
