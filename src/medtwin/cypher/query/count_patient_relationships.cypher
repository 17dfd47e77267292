// Relationship counts per type and per source of the patient layer only (schema.LAYER_OF ->
// Layer.PATIENT; a unit test keeps this list equal to it). A type scan of these types reads only
// patients' relationships, never the ~2 M reference ones. Most carry no source; RESEMBLES names the
// disease modules' source in `source`.
// Parameters: none. Returns: type, source, n.
MATCH ()-[r:HAS_INPUT|HAS_TWIN|INCLUDES|PRESENTS|HAS_CELL_TYPE|HAS_TISSUE|HAS_PHENOTYPE_MODULE|IN_PHENOTYPE_MODULE|LINKS_GENE|EXPRESSES_CHANGE|SIGNALS_TO|HAS_RANKING|SCORES|SIMILAR_TO|RESEMBLES|SUGGESTS_BIOMARKER|ACTIVITY|UPSTREAM_REGULATOR]->()
UNWIND CASE WHEN size(coalesce(r.sources, [])) > 0 THEN r.sources
            WHEN r.source IS NOT NULL THEN [r.source]
            ELSE [null] END AS source
RETURN type(r) AS type, source, count(*) AS n
ORDER BY type, source
