// Uniqueness constraints (one per label, on `id`) and lookup indexes. Several statements, split on ';'.
// Parameters: none. Returns: nothing. Every statement is idempotent (IF NOT EXISTS).
CREATE CONSTRAINT protein_id IF NOT EXISTS FOR (n:Protein) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT drug_id IF NOT EXISTS FOR (n:Drug) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT disease_id IF NOT EXISTS FOR (n:Disease) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT symptom_id IF NOT EXISTS FOR (n:Symptom) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT phenotype_id IF NOT EXISTS FOR (n:Phenotype) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT patient_id IF NOT EXISTS FOR (n:Patient) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT twin_id IF NOT EXISTS FOR (n:Twin) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT celltype_id IF NOT EXISTS FOR (n:CellType) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT tissue_id IF NOT EXISTS FOR (n:Tissue) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT phenotypemodule_id IF NOT EXISTS FOR (n:PhenotypeModule) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT ranking_id IF NOT EXISTS FOR (n:Ranking) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT customdrug_id IF NOT EXISTS FOR (n:CustomDrug) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT auditevent_id IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT lock_id IF NOT EXISTS FOR (n:Lock) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT countcache_id IF NOT EXISTS FOR (n:CountCache) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT cohortload_id IF NOT EXISTS FOR (n:CohortLoad) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT pathway_id IF NOT EXISTS FOR (n:Pathway) REQUIRE n.id IS UNIQUE;
CREATE INDEX protein_symbol IF NOT EXISTS FOR (n:Protein) ON (n.symbol);
CREATE INDEX drug_name IF NOT EXISTS FOR (n:Drug) ON (n.name);
CREATE INDEX disease_name IF NOT EXISTS FOR (n:Disease) ON (n.name);
CREATE INDEX symptom_name IF NOT EXISTS FOR (n:Symptom) ON (n.name);
CREATE INDEX phenotype_name IF NOT EXISTS FOR (n:Phenotype) ON (n.name);
CREATE CONSTRAINT patientinput_id IF NOT EXISTS FOR (n:PatientInput) REQUIRE n.id IS UNIQUE;
CREATE INDEX twin_patient IF NOT EXISTS FOR (n:Twin) ON (n.patient_id);
CREATE INDEX input_patient IF NOT EXISTS FOR (n:PatientInput) ON (n.patient_id);
CREATE INDEX celltype_twin IF NOT EXISTS FOR (n:CellType) ON (n.twin_id);
CREATE INDEX ranking_twin IF NOT EXISTS FOR (n:Ranking) ON (n.twin_id);
CREATE INDEX audit_patient IF NOT EXISTS FOR (n:AuditEvent) ON (n.patient_id);
CREATE INDEX twin_status IF NOT EXISTS FOR (n:Twin) ON (n.status);
CREATE INDEX ranking_status IF NOT EXISTS FOR (n:Ranking) ON (n.status);
CREATE CONSTRAINT resembles_key IF NOT EXISTS FOR ()-[r:RESEMBLES]-() REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT suggests_biomarker_uid IF NOT EXISTS FOR ()-[r:SUGGESTS_BIOMARKER]-() REQUIRE r.uid IS UNIQUE
