import math

import pytest

from medtwin.errors import InputError
from medtwin.loaders import phenotypes_hpo as hpo
from medtwin.loaders import symptoms_hsdn as hsdn
from medtwin.platform.cooccurrence import phenotype_cooccurrence, symptom_cooccurrence


def test_symptom_cosine_on_sample(data):
    links = list(hsdn.read_disease_symptoms(data / "hsdn_zhou2014" / "symptoms-DO.tsv"))
    edges = {(e.a, e.b): e for e in symptom_cooccurrence(links, min_weight=0.0, min_shared=1)}
    # Fever D005334: asthma 2, pneumonia 3, malaria 5; Cough D003371: asthma 4, pneumonia 3
    fever_cough = edges[("D003371", "D005334")]
    expected = (2 * 4 + 3 * 3) / (math.sqrt(4 + 9 + 25) * math.sqrt(16 + 9))
    assert fever_cough.weight == pytest.approx(expected)
    assert fever_cough.shared == 2
    assert fever_cough.label == "Symptom"
    assert fever_cough.method == "cosine_tfidf"
    assert fever_cough.source == "hsdn_zhou2014"
    assert all(a < b for a, b in edges)
    # Edema only with heart failure; Headache only with malaria: never together
    assert ("D004487", "D006261") not in edges
    strict = list(symptom_cooccurrence(links, min_weight=0.2, min_shared=2))
    # only Fever-Cough share two diseases; Cough-Dyspnea etc. share asthma alone
    assert [(e.a, e.b) for e in strict] == [("D003371", "D005334")]


def test_phenotype_jaccard_on_sample(data):
    links = list(hpo.read_disease_phenotypes(data / "hpo" / "phenotype.hpoa"))
    edges = list(phenotype_cooccurrence(links, min_weight=0.0, min_shared=1))
    assert [(e.a, e.b, e.shared) for e in edges] == [("HP:0001249", "HP:0001250", 2)]
    assert edges[0].weight == pytest.approx(2 / 3)
    assert edges[0].label == "Phenotype"
    assert list(phenotype_cooccurrence(links, min_weight=0.7, min_shared=1)) == []


@pytest.mark.parametrize(("weight", "shared"), [(-0.1, 1), (1.5, 1), (0.1, 0)])
def test_thresholds_validated(weight, shared):
    with pytest.raises(InputError):
        list(symptom_cooccurrence([], min_weight=weight, min_shared=shared))
