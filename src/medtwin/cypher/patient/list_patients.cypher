// Every patient with input counts, symptoms, metadata and (complete) twin versions.
// Parameters: $id (string or null: one patient), $skip (int), $limit (int or null: all): a page by id,
// cut before the counts are made (no $limit: the most for which SKIP + LIMIT does not overflow; the
// largest long alone made every $skip > 0 fail). Returns: id, metadata_json, created_at, inputs, genes
// (distinct genes over the inputs: a gene in two inputs counts once; inputs stored before they
// carried gene_ids add their own count, as before), symptoms, versions, endotype, endotype_method
// (null until `medtwin cohort stratify` placed it), endotype_deleted (patients of that stratification
// deleted since; null: none), endotype_refresh (the command that computes it again), endotype_at,
// unmapped (distinct gene names of the inputs that did not resolve; an input stores the first 1,000
// by name and the count of all, unmapped_count: the names it did not store add their count) and
// unmapped_genes (the first 10 of them by name).
// One patient is found through the id's constraint index. The planner gives `WHERE $id IS NULL
// OR p.id = $id` no index (it scanned every Patient node for one, as many rows as patients stored);
// the every-patient branch waits behind its own WITH, so it is not run when $id is given.
CALL {
  WITH $id AS one WHERE one IS NULL
  MATCH (p:Patient) RETURN p
  UNION ALL
  MATCH (p:Patient {id: $id}) RETURN p
}
WITH p ORDER BY p.id SKIP $skip LIMIT coalesce($limit, 9223372036854775807 - $skip)
OPTIONAL MATCH (p)-[:HAS_INPUT]->(i:PatientInput)
WITH p, count(i) AS inputs,
     sum(CASE WHEN i.gene_ids IS NULL THEN coalesce(i.n_changes, 0) ELSE 0 END) AS unlisted,
     sum(coalesce(i.unmapped_count, size(coalesce(i.unmapped, [])))
         - size(coalesce(i.unmapped, []))) AS unlisted_unmapped,
     collect(i.gene_ids) AS gene_lists, collect(i.unmapped) AS unmapped_lists,
     reduce(s = [], x IN collect(coalesce(i.symptoms, [])) | s + x) AS symptoms
WITH p, inputs, symptoms,
     unlisted + COUNT { UNWIND gene_lists AS ids UNWIND ids AS g RETURN DISTINCT g } AS genes,
     unlisted_unmapped
       + COUNT { UNWIND unmapped_lists AS names UNWIND names AS u RETURN DISTINCT u } AS unmapped,
     COLLECT { UNWIND unmapped_lists AS names UNWIND names AS u
               WITH DISTINCT u ORDER BY u LIMIT 10 RETURN u } AS unmapped_genes
OPTIONAL MATCH (p)-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WITH p, inputs, genes, symptoms, unmapped, unmapped_genes, t ORDER BY t.version
RETURN p.id AS id, p.metadata_json AS metadata_json, p.created_at AS created_at, inputs, genes,
       symptoms, [v IN collect(t.version) WHERE v IS NOT NULL] AS versions,
       p.endotype AS endotype, p.endotype_method AS endotype_method,
       p.endotype_deleted AS endotype_deleted, p.endotype_refresh AS endotype_refresh,
       p.endotype_at AS endotype_at, unmapped, unmapped_genes
ORDER BY id
