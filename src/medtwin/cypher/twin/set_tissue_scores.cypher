// Store meta-network centralities (reverse PageRank, medtwin.platform.tissues) on a twin's own Tissue and
// CellType nodes. Parameters: $twin_id, $tissues (list<map>: name, score, rank), $cell_types (list<map>:
// tissue, name, score, rank). Returns: n (nodes updated).
CALL () {
  UNWIND $tissues AS row
  MATCH (ts:Tissue {id: $twin_id + '/tissue:' + row.name})
  SET ts.meta_pagerank = row.score, ts.meta_rank = row.rank
  RETURN count(*) AS nt
}
CALL (nt) {
  UNWIND $cell_types AS row
  MATCH (c:CellType {id: $twin_id + '/' + row.tissue + '/' + row.name})
  SET c.meta_pagerank = row.score, c.meta_rank = row.rank
  RETURN count(*) AS nc
}
RETURN nt + nc AS n
