// Drop every in-memory GDS graph of the current database (test clean-up, `medtwin db reset`).
// Parameters: none. Returns: dropped (graph names).
CALL gds.graph.list() YIELD graphName
CALL gds.graph.drop(graphName, false) YIELD graphName AS dropped
RETURN collect(dropped) AS dropped
