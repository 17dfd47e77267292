// Benchmark only (make bench-cohort): delete the synthetic patients of bench/clone_patients (and
// any patient whose id starts with $prefix) with their twins and rankings, 100 patients per
// transaction (run in an auto-commit transaction).
// Parameters: $prefix (string). Returns: nothing.
MATCH (p:Patient) WHERE p.id STARTS WITH $prefix
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_TWIN]->(t:Twin)
  OPTIONAL MATCH (t)-[:HAS_RANKING|HAS_CELL_TYPE]->(x)
  OPTIONAL MATCH (p)-[:HAS_INPUT]->(i:PatientInput)
  WITH p, collect(DISTINCT t) + collect(DISTINCT x) + collect(DISTINCT i) AS nodes
  FOREACH (n IN nodes | DETACH DELETE n)
  DETACH DELETE p
} IN TRANSACTIONS OF 100 ROWS
