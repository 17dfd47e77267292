// Store cell-type centralities (PageRank in the cell-type signalling network) on the twin's CellType nodes.
// Parameters: $rows (list<map>: id, pagerank). Returns: n.
UNWIND $rows AS row
MATCH (c:CellType {id: row.id})
SET c.pagerank = row.pagerank
RETURN count(*) AS n
