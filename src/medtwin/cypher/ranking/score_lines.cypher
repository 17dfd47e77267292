// The rows beyond the stored top of a complete ranking as compressed JSON lines, for reading one
// drug without pyarrow (see medtwin.store.score_lines); null for a ranking stored before them.
// Parameters: $ranking_id (string). Returns: lines (bytes or null).
MATCH (r:Ranking {id: $ranking_id, status: 'complete'})
RETURN r.score_lines AS lines
