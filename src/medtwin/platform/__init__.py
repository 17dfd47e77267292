"""medtwin.platform: the use cases (the public Python API) and the domain code under them.

Imports run one way, top to bottom (``tests/unit/test_architecture.py`` fails on a cycle):

=================  ===========================================================================
use cases          ``patients``, ``twins``, ``rankings``, ``insights``, ``datasets``,
                   ``reports`` (called by the CLI, the API and notebooks; ``twins`` re-exports
                   ``twin_diff``; ``twin_batch`` builds many); ``cohort``
                   (planned by ``cohort_plan``), ``stratify``, ``screen``, ``demo``,
                   ``library`` for the commands of the same names; ``cell_regulators``
                   (URs per cell type / tissue), ``cohort_activities`` (the activity
                   table), ``stratify_features`` (similarity of activity vectors)
parameters         ``rank_params`` (the one ranking-parameter builder), ``models`` (typed
                   results), ``twin_models`` (what a twin holds: genes, tissues, phenotype
                   module, regulators), ``insight_models``
inputs             ``inputs`` (one table of patient file kinds), ``patient_files`` (a
                   patient's files or DE DataFrame, read as ``patient add`` does), ``singlecell``,
                   ``cohort_profiles``, ``demo_cohorts``, ``custom_targets``, ``reference``
                   (loading) with ``reference_datasets`` (which loaders build each dataset)
twin               ``twin`` (the spec), ``gene_evidence`` (evidence per change, gene
                   statistics), ``tissues``, ``phenotype_module``, ``cooccurrence``, ``gating``
                   ; ``twin_regulators`` (activity, upstream regulators) with
                   ``regulator_centrality`` (GDS or in process) and ``regulator_views`` (words);
                   ``activity_inputs`` (every tested gene's statistic for the footprints)
ranking            ``treatment`` (screen and store), ``ranking/`` (one module per method),
                   ``explain``, ``ranking_table``, ``evidence`` (``personal_evidence``: the
                   harness's personal gain, from ``personal_evidence.json``)
insights           ``resemblance``, ``biomarkers``, ``biomarker_suggestions`` (compute and
                   store them), ``trajectory``
presentation       ``report`` (the HTML page), ``report_charts`` (its SVG charts, the layer
                   colours), ``report_sections``, ``report_insights``, ``report_html``,
                   ``export``, ``first_screen`` (same-target lines, what placed each drug,
                   the why line)
                   ; ``report_regulators`` (the upstream-regulator section)
shared below all   ``context`` (the reference context: the process caches, one object),
                   ``arguments`` (a notebook's str paths, int limits, lists checked once),
                   ``algorithms/`` (pure network measures)
=================  ===========================================================================
"""
