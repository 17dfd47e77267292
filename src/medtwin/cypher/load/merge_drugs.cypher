// Create or update Drug nodes (DrugRow). The first source to describe a drug sets its name and type
// (DrugBank loads first); later sources only fill gaps and add themselves to `sources`. A later source's other
// name for the drug (DrugCentral's INN "cediranib" for DrugBank 4.2's "AZD2171") is kept in `other_names`, once
// and case-insensitively, so a user can find the drug by either (query/drugs_named). `name_key` and
// `other_name_keys` (one per other name, in order) are the names' keys (DrugRow.name_key: accents stripped,
// case-folded), stored because Cypher cannot strip accents. A row keys the names it equals (any case), so a reload
// over a graph of loader 3, whose names had no keys, adds them (a name not yet keyed has "", which holds no text).
// SET evaluates every value before it writes any (Neo4j 5.26), and a WITH between reads and writes lets a row read
// the node before an earlier row's write: each row runs in its own subquery, which sees the rows before it, and
// computes the new `other_names` first (`others`), which the keys read.
// Parameters: $rows (list<map>: id, name, name_key, drug_type, groups, atc_codes, inchikey, source, source_version).
// Returns: n.
UNWIND $rows AS row
CALL {
  WITH row
  MERGE (d:Drug {id: row.id})
    ON CREATE SET d.source_version = row.source_version
  WITH d, row, d.name IS NOT NULL AND row.name IS NOT NULL AND toLower(row.name) <> toLower(d.name)
    AND NOT toLower(row.name) IN [n IN coalesce(d.other_names, []) | toLower(n)] AS other
  WITH d, row, CASE WHEN other THEN coalesce(d.other_names, []) + row.name ELSE d.other_names END AS others
  SET d.other_names = others,
      d.other_name_keys = CASE WHEN others IS NULL THEN null ELSE
        [i IN range(0, size(others) - 1) |
          CASE WHEN toLower(others[i]) = toLower(row.name) THEN row.name_key ELSE coalesce(d.other_name_keys[i], '') END]
        END,
      d.name_key = CASE WHEN d.name IS NULL OR toLower(d.name) = toLower(row.name) THEN row.name_key ELSE d.name_key END,
      d.name = coalesce(d.name, row.name), d.drug_type = coalesce(d.drug_type, row.drug_type),
      d.groups = CASE WHEN size(coalesce(d.groups, [])) > 0 THEN d.groups ELSE row.groups END,
      d.atc_codes = CASE WHEN size(coalesce(d.atc_codes, [])) > 0 THEN d.atc_codes ELSE row.atc_codes END,
      d.inchikey = coalesce(d.inchikey, row.inchikey),
      d.sources = coalesce(d.sources, []) + CASE WHEN row.source IN coalesce(d.sources, []) THEN [] ELSE [row.source] END
}
RETURN count(*) AS n
