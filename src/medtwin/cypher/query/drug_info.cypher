// One drug with its targets in every source (for explanations).
// Parameters: $drug_id. Returns: name, groups, targets (list of maps: entrez, symbol, source, actions, direction,
// category (DrugBank: target, enzyme, transporter, carrier), known_action).
MATCH (d:Drug {id: $drug_id})
OPTIONAL MATCH (d)-[r:TARGETS]->(p:Protein)
RETURN d.name AS name, d.groups AS groups,
       [x IN collect({entrez: p.id, symbol: p.symbol, source: r.source, actions: r.actions,
                      direction: r.direction, category: r.category, known_action: r.known_action})
        WHERE x.entrez IS NOT NULL] AS targets
