// Benchmark only (make bench-cohort): sizes of the rankings of patients whose id starts with $prefix.
// Parameters: $prefix (string). Returns: rankings, table_bytes (mean size of score_table),
// lines_bytes (mean size of score_lines, 0 where absent), table_rows (mean), scores (mean SCORES
// relationships per ranking).
MATCH (r:Ranking) WHERE r.patient_id STARTS WITH $prefix AND r.status = 'complete'
RETURN count(r) AS rankings, avg(size(r.score_table)) AS table_bytes,
       avg(coalesce(size(r.score_lines), 0)) AS lines_bytes,
       avg(r.table_rows) AS table_rows, avg(COUNT { (r)-[:SCORES]->() }) AS scores
