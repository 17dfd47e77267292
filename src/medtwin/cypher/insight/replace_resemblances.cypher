// Store which reference diseases a twin resembles, replacing any earlier result of that twin, in one
// transaction: (:Twin)-[:RESEMBLES {key, rank, d_c, z, p, q, s_ab, shared, n_genes, n_samples, seed, source}]->(:Disease).
// key = '<twin id>|<disease id>' is unique (constraint resembles_key): a race cannot store a row twice.
// The relationship hangs off the patient-specific Twin node, so deleting the patient deletes it.
// Parameters: $twin_id (string), $rows (list<map>: disease_id, rank, d_c, z, p, q, s_ab, shared, n_genes,
// n_samples, seed, source). Returns: n (relationships created).
MATCH (t:Twin {id: $twin_id, status: 'complete'})
CALL (t) {
  MATCH (t)-[old:RESEMBLES]->(:Disease)
  DELETE old
}
WITH t
UNWIND $rows AS row
MATCH (d:Disease {id: row.disease_id})
CREATE (t)-[r:RESEMBLES]->(d)
SET r.key = $twin_id + '|' + row.disease_id, r.rank = row.rank, r.d_c = row.d_c, r.z = row.z, r.p = row.p, r.q = row.q, r.s_ab = row.s_ab,
    r.shared = row.shared, r.n_genes = row.n_genes, r.n_samples = row.n_samples, r.seed = row.seed,
    r.source = row.source, r.computed_at = datetime()
RETURN count(r) AS n
