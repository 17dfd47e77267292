// Create disease -> symptom HAS_SYMPTOM edges (DiseaseSymptomRow) with Zhou 2014's TF-IDF and co-occurrence.
// Parameters: $rows (list<map>: disease_id, symptom_id, tfidf, cooccurs, source, source_version). Returns: n.
UNWIND $rows AS row
MATCH (d:Disease {id: row.disease_id})
MATCH (s:Symptom {id: row.symptom_id})
MERGE (d)-[r:HAS_SYMPTOM {source: row.source}]->(s)
SET r.tfidf = row.tfidf, r.cooccurs = row.cooccurs, r.sources = [row.source],
    r.source_version = row.source_version
RETURN count(*) AS n
