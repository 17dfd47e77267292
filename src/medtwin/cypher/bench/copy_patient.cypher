// Benchmark only (make bench-delete): copy patient $source, every node of it that
// patient/delete_patient finds (the same labels, by the same indexes), as patient $copy, so that each
// timed deletion deletes a fresh whole patient. Each node is copied with its labels and properties:
// an id (or twin_id) that starts with the source's id starts with $copy instead (a custom drug's
// random id is drawn again), patient_id is $copy. Each relationship that touches them is copied with
// its properties: between two copied nodes, between their copies; to or from another node, to or from
// that same node. Keys under a uniqueness constraint (RESEMBLES.key, SUGGESTS_BIOMARKER.uid) are drawn
// again. One transaction: all of the copy or none.
// Parameters: $source (string), $copy (string, no patient yet). Returns: nodes, relationships (created).
CALL () {
  MATCH (n:Patient {id: $source}) RETURN n
  UNION ALL
  MATCH (n:PatientInput {patient_id: $source}) RETURN n
  UNION ALL
  MATCH (n:Twin {patient_id: $source}) RETURN n
  UNION ALL
  MATCH (n:Tissue {patient_id: $source}) RETURN n
  UNION ALL
  MATCH (n:CellType {patient_id: $source}) RETURN n
  UNION ALL
  MATCH (n:PhenotypeModule {patient_id: $source}) RETURN n
  UNION ALL
  MATCH (n:Ranking {patient_id: $source}) RETURN n
  UNION ALL
  MATCH (n:CustomDrug {patient_id: $source}) RETURN n
}
WITH collect(DISTINCT n) AS nodes
CALL (nodes) {
  UNWIND nodes AS n
  WITH n, properties(n) AS props
  CREATE (c:$(labels(n)))
  SET c = props {.*,
    id: CASE WHEN n.id STARTS WITH $source THEN $copy + substring(n.id, size($source))
             ELSE randomUUID() END,
    patient_id: $copy,
    twin_id: CASE WHEN n.twin_id STARTS WITH $source THEN $copy + substring(n.twin_id, size($source))
                  ELSE n.twin_id END}
  RETURN collect([n, c]) AS pairs
}
CALL (nodes, pairs) {
  UNWIND pairs AS pair
  WITH pair[0] AS n, pair[1] AS c
  MATCH (n)-[r]-(m)
  // a relationship between two copied nodes is copied once, from its start node's side
  WITH n, c, r, m, [p IN pairs WHERE p[0] = m | p[1]][0] AS mc
  WHERE mc IS NULL OR startNode(r) = n
  WITH c, r, coalesce(mc, m) AS other, startNode(r) = n AS out, properties(r) AS rp
  WITH c, r, other, out,
       rp {.*, key: CASE WHEN r.key IS NULL THEN null ELSE randomUUID() END,
               uid: CASE WHEN r.uid IS NULL THEN null ELSE randomUUID() END} AS props
  CALL (c, r, other, out, props) {
    WITH * WHERE out
    CREATE (c)-[x:$(type(r))]->(other)
    SET x = props
    RETURN x
    UNION ALL
    WITH * WHERE NOT out
    CREATE (other)-[x:$(type(r))]->(c)
    SET x = props
    RETURN x
  }
  RETURN count(x) AS relationships
}
RETURN size(nodes) AS nodes, relationships
