// Node counts per label and per source of the labels patients' data and requests write
// (schema.PATIENT_LABELS; a unit test keeps this list equal to it). A label scan of these labels
// reads only those nodes, never the ~100 k reference ones.
// Parameters: none. Returns: label, source, n.
MATCH (n:Patient|PatientInput|Twin|CellType|Tissue|PhenotypeModule|Ranking|CustomDrug|AuditEvent)
UNWIND labels(n) AS label
UNWIND CASE WHEN size(coalesce(n.sources, [])) = 0 THEN [null] ELSE n.sources END AS source
RETURN label, source, count(*) AS n
ORDER BY label, source
