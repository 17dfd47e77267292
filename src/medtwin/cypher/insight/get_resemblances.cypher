// The stored disease resemblance of one twin (see insight/replace_resemblances), closest first.
// Parameters: $twin_id (string). Returns: disease_id, name, rank, d_c, z, p, q, s_ab, shared, n_genes,
// n_samples, seed, source.
MATCH (:Twin {id: $twin_id, status: 'complete'})-[r:RESEMBLES]->(d:Disease)
RETURN d.id AS disease_id, d.name AS name, r.rank AS rank, r.d_c AS d_c, r.z AS z, r.p AS p,
       r.q AS q, r.s_ab AS s_ab, r.shared AS shared, r.n_genes AS n_genes,
       r.n_samples AS n_samples, r.seed AS seed, r.source AS source
ORDER BY r.rank
