// Store GDS results on the twin's own INCLUDES relationships (never on shared Protein nodes).
// Parameters: $twin_id, $rows (list<map>: id, pagerank, personalised_pagerank, betweenness, community). Returns: n.
MATCH (t:Twin {id: $twin_id})
UNWIND $rows AS row
MATCH (t)-[r:INCLUDES]->(:Protein {id: row.id})
SET r.pagerank = row.pagerank, r.personalised_pagerank = row.personalised_pagerank,
    r.betweenness = row.betweenness, r.community = row.community
RETURN count(*) AS n
