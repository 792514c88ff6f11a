"""Second wave of corpus postings: job-board pastes (LinkedIn "About the job", Indeed
"Job details"), minimum/preferred qualification blocks, requirements written as prose,
EEO boilerplate and a hidden instruction addressed to AI tools."""

from __future__ import annotations

from tests.corpus.posting_specs import INJECTION, P, R, Spec

MORE_POSTINGS: list[Spec] = [
    {
        "id": "p18",
        "format": "txt",
        "title": "Physical Therapist – Outpatient Orthopedics",
        "company": "Cascade Sports Medicine",
        "company_style": "header_dot",
        "location": "Eugene, OR",
        "remote": "onsite",
        "years": None,
        "sections": [
            (
                "About the job",
                "duty",
                [
                    ("Treat sports and spine patients in a busy outpatient clinic.", []),
                ],
            ),
            (
                "Minimum Qualifications",
                "req",
                [
                    ("Doctor of Physical Therapy degree", [("Doctor of Physical Therapy", R)]),
                    ("Active Oregon PT license", [("PT license", R)]),
                    ("CPR certification", [("Cardiopulmonary resuscitation", R)]),
                ],
            ),
            (
                "Preferred Qualifications",
                "pref",
                [
                    ("Orthopedic Certified Specialist (OCS)", [("OCS", P)]),
                    ("Dry needling certification", [("Dry needling certification", P)]),
                ],
            ),
            (
                "Equal Opportunity",
                "other",
                [
                    (
                        "We are an equal opportunity employer and value diversity at our company.",
                        [],
                    ),
                ],
            ),
        ],
    },
    {
        "id": "p19",
        "format": "txt",
        "title": "Line Cook",
        "company": "River Walk Grill",
        "company_style": "field",
        "location": "San Antonio, TX",
        "remote": "onsite",
        "years": 1,
        "short": True,
        "sections": [
            (
                "Job details",
                "other",
                [
                    ("Pay: $17 - $20 an hour", []),
                    ("Job type: Full-time", []),
                ],
            ),
            (
                "Qualifications",
                "req",
                [
                    ("1 year of line cook experience", [("Line cook experience", R)]),
                    ("Food handler certification", [("Food handler certification", R)]),
                    ("Able to stand for 8 hours and lift 40 lbs", [("Lift 40 lbs", R)]),
                ],
            ),
            (
                "Shift and schedule",
                "req",
                [
                    ("Night shift", [("Night shift availability", R)]),
                    ("Weekends as needed", [("Weekend availability", R)]),
                ],
            ),
        ],
    },
    {
        "id": "p20",
        "format": "html",
        "title": "Senior iOS Engineer",
        "company": "Bright Ledger",
        "company_style": "about",
        "location": "San Francisco, CA",
        "remote": "hybrid",
        "years": 5,
        "inject": True,
        "sections": [
            (
                "About Bright Ledger",
                "about",
                [
                    ("Bright Ledger helps families budget together. We have 2 million users.", []),
                ],
            ),
            (
                "What you'll do",
                "duty",
                [
                    (
                        "Build features in Swift and SwiftUI with our design team.",
                        [("Swift", R), ("SwiftUI", R)],
                    ),
                ],
            ),
            (
                "Who you are",
                "req_prose",
                [
                    (
                        "You have 5+ years of experience shipping iOS apps in Swift.",
                        [("iOS development", R), ("Swift", R)],
                    ),
                    ("You know SwiftUI and Combine well.", [("SwiftUI", R), ("Combine", R)]),
                    ("Experience with GraphQL is a plus.", [("GraphQL", P)]),
                    (INJECTION, []),
                ],
            ),
            (
                "Benefits",
                "benefits",
                [
                    ("Equity, 401(k) match, gym stipend and a yearly company offsite.", []),
                ],
            ),
        ],
    },
    {
        "id": "p21",
        "format": "docx",
        "title": "Veterinary Technician",
        "company": "Front Range Animal Hospital",
        "company_style": "is_hiring",
        "location": "Boulder, CO",
        "remote": "onsite",
        "years": 2,
        "sections": [
            (
                "Responsibilities",
                "duty",
                [
                    ("Monitor anesthesia and assist in surgery.", [("Anesthesia monitoring", R)]),
                ],
            ),
            (
                "Requirements",
                "req",
                [
                    ("Credentialed veterinary technician (CVT or RVT)", [("CVT", R), ("RVT", R)]),
                    ("2+ years of experience in a small-animal hospital", []),
                    (
                        "Comfortable with radiography and phlebotomy",
                        [("Radiography", R), ("Phlebotomy", R)],
                    ),
                    ("Fear Free certification preferred", [("Fear Free certification", P)]),
                ],
            ),
            (
                "What we offer",
                "benefits",
                [
                    ("Pet care discounts, CE allowance and paid holidays", []),
                ],
            ),
        ],
    },
    {
        "id": "p22",
        "format": "pdf",
        "title": "Data Engineer",
        "company": "Cascade Retail",
        "company_style": "at_title",
        "location": "Seattle, WA",
        "remote": "hybrid",
        "years": 3,
        "sections": [
            (
                "The role",
                "duty",
                [
                    ("Own our batch and streaming pipelines.", []),
                ],
            ),
            (
                "Requirements",
                "req",
                [
                    ("3+ years of data engineering experience", [("Data engineering", R)]),
                    ("Airflow and dbt in production", [("Apache Airflow", R), ("dbt", R)]),
                    (
                        "Kafka or Kinesis (Kafka preferred)",
                        [("Apache Kafka", R), ("Amazon Kinesis", R)],
                    ),
                    ("Strong SQL; Snowflake experience is a bonus", [("SQL", R), ("Snowflake", P)]),
                ],
            ),
            (
                "Perks",
                "benefits",
                [
                    ("Hybrid schedule, commuter benefits, and team offsites", []),
                ],
            ),
        ],
    },
    {
        "id": "p23",
        "format": "md",
        "title": "Speech-Language Pathologist",
        "company": "Fulton County Schools",
        "company_style": "header_dot",
        "location": "Atlanta, GA",
        "remote": "onsite",
        "years": None,
        "sections": [
            (
                "Position summary",
                "duty",
                [
                    ("Serve students in two elementary schools.", []),
                ],
            ),
            (
                "Qualifications",
                "req",
                [
                    (
                        "Master's degree in speech-language pathology",
                        [("Speech-language pathology", R)],
                    ),
                    ("Georgia SLP license and ASHA CCC-SLP", [("SLP license", R), ("CCC-SLP", R)]),
                    ("Must complete district training within 2 years of hire", []),
                ],
            ),
            (
                "Salary and benefits",
                "benefits",
                [
                    ("Salary $58,000 – $81,000; state health plan and pension", []),
                ],
            ),
        ],
    },
]
