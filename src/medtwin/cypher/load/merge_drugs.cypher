// Create or update Drug nodes (DrugRow). The first source to describe a drug sets its name and type
// (DrugBank loads first); later sources only fill gaps and add themselves to `sources`. A later source's other
// name for the drug (DrugCentral's INN "cediranib" for DrugBank 4.2's "AZD2171") is kept in `other_names`, once
// and case-insensitively, so a user can find the drug by either (query/drugs_named). `other_names` is set first:
// it compares the row's name with the name the node had before this row.
// Parameters: $rows (list<map>: id, name, drug_type, groups, atc_codes, inchikey, source, source_version).
// Returns: n.
UNWIND $rows AS row
MERGE (d:Drug {id: row.id})
  ON CREATE SET d.source_version = row.source_version
SET d.other_names = CASE
      WHEN d.name IS NULL OR row.name IS NULL OR toLower(row.name) = toLower(d.name)
        OR toLower(row.name) IN [n IN coalesce(d.other_names, []) | toLower(n)] THEN d.other_names
      ELSE coalesce(d.other_names, []) + row.name END,
    d.name = coalesce(d.name, row.name), d.drug_type = coalesce(d.drug_type, row.drug_type),
    d.groups = CASE WHEN size(coalesce(d.groups, [])) > 0 THEN d.groups ELSE row.groups END,
    d.atc_codes = CASE WHEN size(coalesce(d.atc_codes, [])) > 0 THEN d.atc_codes ELSE row.atc_codes END,
    d.inchikey = coalesce(d.inchikey, row.inchikey),
    d.sources = coalesce(d.sources, []) + CASE WHEN row.source IN coalesce(d.sources, []) THEN [] ELSE [row.source] END
RETURN count(*) AS n
