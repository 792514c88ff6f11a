from __future__ import annotations

import json

import pytest

from app.tailoring.data import build_taxonomy
from app.tailoring.taxonomy import load_taxonomy

REQUIRED_CATEGORIES = {
    "software",
    "data",
    "devops",
    "cloud",
    "design",
    "marketing",
    "sales",
    "finance",
    "healthcare",
    "education",
    "mechanical",
    "soft",
    "certification",
}


def test_taxonomy_is_large_and_covers_every_field() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy) >= 2500
    categories = {s.category for s in taxonomy.skills.values()}
    assert categories >= REQUIRED_CATEGORIES
    for category in REQUIRED_CATEGORIES:
        members = [s for s in taxonomy.skills.values() if s.category == category]
        assert len(members) >= 40, category


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("k8s", "Kubernetes"),
        ("JS", "JavaScript"),
        ("Postgres", "PostgreSQL"),
        ("ML", "Machine learning"),
        ("RN", "Registered Nurse"),
        ("CPA", "Certified Public Accountant"),
        ("US GAAP", "GAAP"),
        ("CAD", "Computer-aided design"),
        ("Solid Works", "SolidWorks"),
        ("BLS", "Basic Life Support"),
        ("ACLS", "Advanced Cardiovascular Life Support"),
        ("CCRN", "Critical Care Registered Nurse"),
        ("Epic EHR", "Epic"),
        ("Helm charts", "Helm"),
        ("terraform", "Terraform"),
        ("ArgoCD", "Argo CD"),
        ("git ops", "GitOps"),
        ("A/B tests", "A/B testing"),
        ("golang", "Go"),
        ("sklearn", "scikit-learn"),
        ("NodeJS", "Node.js"),
        ("GD&T", "Geometric dimensioning and tolerancing"),
        ("IEPs", "Individualized Education Programs"),
    ],
)
def test_aliases_resolve_to_canonical_names(written: str, canonical: str) -> None:
    assert load_taxonomy().canonical(written) == canonical


def test_implies_is_transitive_and_finds_certifications() -> None:
    taxonomy = load_taxonomy()
    assert "Kubernetes" in taxonomy.implied("Helm")
    eks = taxonomy.implied("Amazon EKS")
    assert {"Kubernetes", "AWS", "Containers"} <= set(eks)
    assert "Certified Kubernetes Administrator" in taxonomy.certifications_for("Kubernetes")
    assert "HashiCorp Certified: Terraform Associate" in taxonomy.certifications_for("Terraform")
    assert taxonomy.skills["Certified Public Accountant"].is_certification


def test_shipped_json_is_built_from_the_sources() -> None:
    """skills.json must be regenerated whenever a source list changes."""
    entries = []
    for path in sorted(build_taxonomy.SOURCES.glob("*.txt")):
        if path.name != "evidence.txt":
            entries.extend(build_taxonomy.parse_source(path))
    rebuilt = build_taxonomy.build(entries)
    shipped = json.loads(build_taxonomy.OUTPUT.read_text(encoding="utf-8"))
    assert rebuilt["skills"] == shipped["skills"]


def test_build_rejects_two_skills_sharing_an_alias(tmp_path: object) -> None:
    first = build_taxonomy.Entry("Alpha", "software", "x", aliases=["shared name"])
    second = build_taxonomy.Entry("Beta", "software", "x", aliases=["Shared-Name"])
    with pytest.raises(SystemExit, match="already belongs"):
        build_taxonomy.build([first, second])


def test_build_rejects_unknown_implies() -> None:
    entry = build_taxonomy.Entry("Alpha", "software", "x", implies=["No Such Skill"])
    with pytest.raises(SystemExit, match="implies unknown"):
        build_taxonomy.build([entry])
