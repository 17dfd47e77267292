// The full ranking's compact table (Arrow IPC stream, see medtwin.store.rankings) of a complete
// ranking.
// Parameters: $ranking_id (string). Returns: table (bytes or null).
MATCH (r:Ranking {id: $ranking_id, status: 'complete'})
RETURN r.score_table AS table
