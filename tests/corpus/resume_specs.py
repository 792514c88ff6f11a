"""Source data of the corpus resumes: one spec renders the document AND writes its truth.

Each spec is plain data. `layout` picks the renderer (tests/corpus/render_resume.py),
`style` the entry-line grammar and date writing that renderer uses. Dates are given
normalised ("2019-03", "2016", "present"); the renderer writes them as people do.
"""

from __future__ import annotations

from typing import Any

Spec = dict[str, Any]


def job(
    employer: str,
    title: str,
    start: str,
    end: str,
    bullets: list[str],
    location: str | None = None,
) -> dict[str, Any]:
    return {
        "employer": employer,
        "title": title,
        "start": start,
        "end": end,
        "bullets": bullets,
        "location": location,
    }


def school(name: str, degree: str, year: str, location: str | None = None) -> dict[str, Any]:
    return {"school": name, "degree": degree, "year": year, "location": location}


RESUMES: list[Spec] = [
    # ---- PDF, two-column CSS grid with a sidebar --------------------------------------
    {
        "id": "r01",
        "layout": "pdf_sidebar",
        "style": {"entry": "title_dash_employer", "dates": "mon", "sidebar": "left"},
        "name": "Ana Muñoz",
        "credential": "P.Eng.",
        "headline": "Process Engineer",
        "email": "ana.munoz@example.com",
        "phone": "(503) 555-0182",
        "location": "Portland, OR",
        "summary": "Process engineer with eight years of experience improving plant "
        "throughput and writing plain-language operating procedures for shift crews.",
        "jobs": [
            job(
                "Cascade Paper Mills",
                "Senior Process Engineer",
                "2020-03",
                "present",
                [
                    "Redesigned the bleaching line controls, cutting chemical use by 14% "
                    "while keeping brightness targets across all grades",
                    "Wrote plain-language standard operating procedures adopted by four "
                    "shift crews and the maintenance planning team",
                    "Led root-cause investigations with statistical process control charts",
                ],
                "Portland, OR",
            ),
            job(
                "Willamette Chemical",
                "Process Engineer",
                "2016-06",
                "2020-02",
                [
                    "Commissioned a continuous distillation unit on schedule and under budget",
                    "Modelled heat exchanger networks in Aspen Plus to reduce steam demand",
                ],
                "Salem, OR",
            ),
            job(
                "Pacific Northwest Energy",
                "Co-op Engineer",
                "2015-01",
                "2015-08",
                ["Logged boiler efficiency data and built the weekly reporting workbook"],
            ),
        ],
        "education": [school("Oregon State University", "B.S. Chemical Engineering", "2016")],
        "skills": [
            {"name": "Tools & Platforms", "items": ["Excel", "Aspen Plus", "MATLAB", "AutoCAD"]},
            {"name": "Methods", "items": ["Lean Six Sigma", "Statistical process control"]},
        ],
    },
    {
        "id": "r02",
        "layout": "pdf_sidebar",
        "style": {"entry": "employer_line_title_line", "dates": "full", "sidebar": "left"},
        "name": "Jamal Whitaker",
        "credential": None,
        "headline": "Brand Designer",
        "email": "jamal@whitaker.design",
        "phone": "+1 312 555 0147",
        "location": "Chicago, IL",
        "summary": "Brand designer who builds identity systems and campaign art for "
        "consumer products, from first sketches to print-ready production files.",
        "jobs": [
            job(
                "Lakeshore Creative",
                "Lead Brand Designer",
                "2021-09",
                "present",
                [
                    "Built the identity system for three national snack brands, including "
                    "packaging, motion guidelines and retail displays",
                    "Mentored four junior designers through weekly critique sessions",
                ],
                "Chicago, IL",
            ),
            job(
                "Midway Media Group",
                "Graphic Designer",
                "2018-05",
                "2021-08",
                [
                    "Designed 120+ social campaign assets per quarter in Figma and "
                    "Adobe Illustrator",
                    "Prepared print-ready files for billboards and transit advertising",
                    "Cut proofing rounds from four to two with a shared style checklist",
                ],
            ),
        ],
        "education": [
            school("School of the Art Institute of Chicago", "BFA Visual Communication", "2018")
        ],
        "skills": [
            {"name": "Design", "items": ["Figma", "Adobe Illustrator", "InDesign", "Photoshop"]},
            {"name": "Production", "items": ["Print production", "Motion graphics"]},
        ],
    },
    {
        "id": "r03",
        "layout": "pdf_sidebar",
        "style": {"entry": "title_at_employer", "dates": "numeric", "sidebar": "right"},
        "name": "Priya Raman",
        "credential": "RN, BSN",
        "headline": "Registered Nurse",
        "email": "priya.raman@example.org",
        "phone": "617-555-0139",
        "location": "Boston, MA",
        "summary": "Pediatric intensive care nurse with six years at the bedside and a "
        "record of family-centred care and calm escalation.",
        "jobs": [
            job(
                "Boston Children's Hospital",
                "Registered Nurse, Pediatric ICU",
                "2019-04",
                "present",
                [
                    "Cared for two to three critically ill children per shift, including "
                    "post-operative cardiac patients on ventilators",
                    "Precepted eleven new graduate nurses through their orientation",
                    "Charted in Epic and trained colleagues on the new flowsheets",
                ],
            ),
            job(
                "Tufts Medical Center",
                "Staff Nurse",
                "2017-06",
                "2019-03",
                [
                    "Managed medication administration for a 28-bed pediatric floor",
                    "Served on the falls-prevention committee that cut falls by a third",
                ],
            ),
        ],
        "education": [school("Northeastern University", "BSN Nursing", "2017")],
        "skills": [
            {"name": "Clinical", "items": ["PALS", "BLS", "Ventilator management", "Epic"]},
        ],
    },
    # ---- PDF, one column with running footer and page break inside a bullet ------------
    {
        "id": "r04",
        "layout": "pdf_footer",
        "spacer_mm": 140,  # puts the page break inside a bullet
        "style": {"entry": "employer_dash_title", "dates": "mon", "caps": True},
        "name": "Jane Roe",
        "credential": "CPA",
        "headline": "Senior Accountant",
        "email": "jane.roe@example.com",
        "phone": "(214) 555-0166",
        "location": "Dallas, TX",
        "summary": "Certified public accountant with nine years in audit and corporate "
        "accounting for manufacturing and retail companies.",
        "jobs": [
            job(
                "Lone Star Retail Group",
                "Senior Accountant",
                "2019-01",
                "present",
                [
                    "Closed the monthly books for 42 stores in five business days by "
                    "automating reconciliations with NetSuite saved searches",
                    "Prepared consolidated financial statements and footnotes for the annual "
                    "audit with no material adjustments in four years",
                    "Built the lease accounting model for the ASC 842 adoption",
                    "Trained three staff accountants on revenue recognition and accruals",
                ],
                "Dallas, TX",
            ),
            job(
                "Grant Thornton",
                "Audit Senior",
                "2015-09",
                "2018-12",
                [
                    "Led audit fieldwork for manufacturing clients with revenue up to "
                    "$400 million, supervising teams of four associates",
                    "Tested internal controls over financial reporting under SOX 404",
                    "Drafted management letters that clients used to fix control gaps",
                ],
                "Fort Worth, TX",
            ),
            job(
                "Trinity Valley Foods",
                "Staff Accountant",
                "2013-06",
                "2015-08",
                [
                    "Reconciled 30 bank and intercompany accounts each month",
                    "Processed accounts payable for 600 vendors in QuickBooks",
                ],
            ),
        ],
        "education": [
            school("University of Texas, Austin", "Master of Professional Accounting", "2013"),
            school("Baylor University", "BBA Accounting", "2012"),
        ],
        "skills": [
            {"name": "Systems", "items": ["NetSuite", "QuickBooks", "Excel", "Power BI"]},
            {"name": "Areas", "items": ["GAAP", "SOX compliance", "Financial reporting"]},
        ],
        "certifications": ["Certified Public Accountant, Texas"],
    },
    {
        "id": "r05",
        "layout": "pdf_footer",
        "spacer_mm": 172,  # puts the page break inside a bullet
        "style": {"entry": "title_comma_employer", "dates": "year", "caps": True},
        "name": "Mateo Álvarez",
        "credential": "PMP",
        "headline": "Construction Project Manager",
        "email": "mateo.alvarez@example.net",
        "phone": "305-555-0110",
        "location": "Miami, FL",
        "summary": "Project manager for commercial construction with a track record of "
        "delivering hospital and school projects on time.",
        "jobs": [
            job(
                "Coral Builders",
                "Project Manager",
                "2018",
                "present",
                [
                    "Delivered a $38 million hospital wing two weeks early while holding "
                    "change orders under two percent of contract value across the job",
                    "Ran weekly owner-architect-contractor meetings and kept the schedule "
                    "in Primavera P6 up to date for all trades on site",
                    "Negotiated subcontracts for mechanical, electrical and plumbing work",
                ],
                "Miami, FL",
            ),
            job(
                "Suncoast Construction",
                "Assistant Project Manager",
                "2014",
                "2018",
                [
                    "Managed submittals and RFIs for three public school renovations",
                    "Tracked budgets and cost codes in Procore for the project team",
                    "Coordinated inspections with county building officials",
                ],
                "Tampa, FL",
            ),
            job(
                "Florida Department of Transportation",
                "Engineering Intern",
                "2013",
                "2013",
                ["Inspected bridge deck repairs and logged daily quantities"],
            ),
        ],
        "education": [school("University of Florida", "B.S. Civil Engineering", "2014")],
        "skills": [
            {"name": "Software", "items": ["Primavera P6", "Procore", "Bluebeam", "AutoCAD"]},
            {"name": "Management", "items": ["Scheduling", "Cost control", "Contract management"]},
        ],
        "certifications": ["Project Management Professional (PMP)"],
    },
    {
        "id": "r06",
        "layout": "pdf_footer",
        "spacer_mm": 136,  # puts the page break inside a bullet
        "style": {"entry": "employer_line_title_line", "dates": "mon", "caps": False},
        "name": "Siobhán O'Neill",
        "credential": None,
        "headline": "High School Science Teacher",
        "email": "siobhan.oneill@example.ie",
        "phone": "(720) 555-0124",
        "location": "Denver, CO",
        "summary": "Chemistry and physics teacher who builds hands-on labs and raised "
        "AP pass rates at two public high schools.",
        "jobs": [
            job(
                "Denver Public Schools",
                "Chemistry Teacher",
                "2017-08",
                "present",
                [
                    "Taught five sections of chemistry and AP Chemistry to 140 students a "
                    "year, raising the AP pass rate from 48% to 71% in three years",
                    "Designed inquiry labs on a shoestring budget with donated equipment",
                    "Coached the Science Olympiad team to two state finals",
                ],
                "Denver, CO",
            ),
            job(
                "Aurora Public Schools",
                "Physics Teacher",
                "2013-08",
                "2017-06",
                [
                    "Introduced standards-based grading across the physics department",
                    "Ran after-school tutoring for English language learners in physics "
                    "and algebra, with attendance growing every semester",
                ],
                "Aurora, CO",
            ),
        ],
        "education": [
            school("University of Colorado Boulder", "M.Ed. Curriculum and Instruction", "2016"),
            school("Trinity College Dublin", "B.A. Natural Sciences", "2012"),
        ],
        "skills": [
            {"name": "Teaching", "items": ["Lesson planning", "Differentiated instruction"]},
            {"name": "Technology", "items": ["Google Classroom", "Canvas", "Vernier probes"]},
        ],
    },
    # ---- PDF, left date column -------------------------------------------------------
    {
        "id": "r07",
        "layout": "pdf_left_dates",
        "style": {"entry": "title_dash_employer", "dates": "mon"},
        "name": "Kenji Watanabe",
        "credential": None,
        "headline": "Data Analyst",
        "email": "kenji.w@example.com",
        "phone": "206-555-0191",
        "location": "Seattle, WA",
        "summary": "Analyst who turns messy operational data into dashboards people use.",
        "jobs": [
            job(
                "Evergreen Logistics",
                "Analyst → Senior Analyst",
                "2018-02",
                "present",
                [
                    "Built the carrier scorecard in Tableau used in every quarterly review",
                    "Automated freight invoice audits with Python and SQL, saving 30 hours a month",
                ],
                "Seattle, WA",
            ),
            job(
                "Rainier Outfitters",
                "Business Intelligence Intern",
                "2017-06",
                "2017-12",
                ["Cleaned point-of-sale data and wrote the weekly sales summary"],
            ),
        ],
        "education": [school("University of Washington", "B.S. Statistics", "2017")],
        "skills": [
            {"name": "Analysis", "items": ["SQL", "Python", "Tableau", "Excel"]},
        ],
    },
    {
        "id": "r08",
        "layout": "pdf_left_dates",
        "style": {"entry": "employer_dash_title", "dates": "numeric"},
        "name": "Fatima Al-Sayed",
        "credential": "MBA",
        "headline": "Marketing Manager",
        "email": "fatima.alsayed@example.com",
        "phone": "+44 20 7946 0958",
        "location": "London, UK",
        "summary": "Marketing manager leading lifecycle and paid campaigns for B2B software.",
        "jobs": [
            job(
                "Thames Analytics",
                "Marketing Manager",
                "2020-01",
                "present",
                [
                    "Grew marketing-sourced pipeline 65% with account-based campaigns",
                    "Managed a £1.2M annual budget across LinkedIn and Google Ads",
                    "Rebuilt the lifecycle email programme in HubSpot",
                ],
                "London, UK",
            ),
            job(
                "Brightwave Digital",
                "Digital Marketing Executive",
                "2016-09",
                "2019-12",
                [
                    "Ran paid search for 12 clients and cut cost per lead by 30%",
                    "Wrote monthly performance reports with Google Analytics",
                ],
                "Manchester, UK",
            ),
        ],
        "education": [
            school("London Business School", "MBA", "2020"),
            school("University of Manchester", "BSc Economics", "2016"),
        ],
        "skills": [
            {"name": "Channels", "items": ["Google Ads", "LinkedIn Ads", "Email marketing"]},
            {"name": "Tools", "items": ["HubSpot", "Google Analytics", "Salesforce"]},
        ],
    },
    {
        "id": "r09",
        "layout": "pdf_left_dates",
        "style": {"entry": "title_comma_employer", "dates": "year"},
        "name": "Tomás Novák",
        "credential": None,
        "headline": "Electrician",
        "email": "tomas.novak@example.com",
        "phone": "(412) 555-0177",
        "location": "Pittsburgh, PA",
        "summary": "Licensed journeyman electrician for commercial and industrial sites.",
        "jobs": [
            job(
                "Allegheny Electric",
                "Journeyman Electrician",
                "2016",
                "present",
                [
                    "Installed conduit, panels and motor controls on hospital and factory jobs",
                    "Read blueprints and led crews of three apprentices",
                    "Passed every city inspection on first visit in 2022",
                ],
                "Pittsburgh, PA",
            ),
            job(
                "Three Rivers Contractors",
                "Apprentice Electrician",
                "2012",
                "2016",
                ["Pulled wire and terminated circuits under journeyman supervision"],
            ),
        ],
        "education": [
            school(
                "Community College of Allegheny County", "Certificate Electrical Technology", "2013"
            )
        ],
        "skills": [
            {"name": "Trade", "items": ["NEC code", "Conduit bending", "PLC troubleshooting"]},
        ],
    },
    # ---- DOCX, bold paragraph headings, skills in a table -------------------------------
    {
        "id": "r10",
        "layout": "docx_bold",
        "style": {"entry": "employer_tab_dates", "dates": "mon", "bullets": "typed"},
        "name": "Grace Kim",
        "credential": None,
        "headline": "Sales Account Executive",
        "email": "grace.kim@example.com",
        "phone": "(415) 555-0103",
        "location": "San Francisco, CA",
        "summary": "Account executive closing mid-market SaaS deals; 140% of quota in 2023.",
        "jobs": [
            job(
                "Bayline Software",
                "Account Executive",
                "2021-02",
                "present",
                [
                    "Closed $2.4M in new annual recurring revenue in 2023",
                    "Ran discovery and demos for 60+ mid-market prospects a quarter",
                    "Forecast the pipeline weekly in Salesforce",
                ],
                "San Francisco, CA",
            ),
            job(
                "Golden Gate Telecom",
                "Sales Development Representative",
                "2019-07",
                "2021-01",
                [
                    "Booked 25 qualified meetings a month through cold calls and email",
                    "Promoted to team lead after eighteen months",
                ],
                "Oakland, CA",
            ),
            job(
                "Rose City Running Co",
                "Retail Associate",
                "2017-05",
                "2019-06",
                ["Sold footwear and ran the store's loyalty sign-up drive"],
                "Portland, OR",
            ),
        ],
        "education": [school("San Jose State University", "BA Communication Studies", "2019")],
        "skills": [
            {"name": "Sales", "items": ["Salesforce", "Outreach", "Gong", "MEDDIC"]},
            {"name": "Skills", "items": ["Negotiation", "Prospecting", "Forecasting"]},
        ],
    },
    {
        "id": "r11",
        "layout": "docx_bold",
        "style": {"entry": "title_dash_employer", "dates": "full", "bullets": "list"},
        "name": "Olusegun Adeyemi",
        "credential": "P.E.",
        "headline": "Structural Engineer",
        "email": "o.adeyemi@example.com",
        "phone": "713-555-0135",
        "location": "Houston, TX",
        "summary": "Structural engineer designing steel and concrete buildings up to 30 floors.",
        "jobs": [
            job(
                "Gulf Coast Structures",
                "Senior Structural Engineer",
                "2019-05",
                "present",
                [
                    "Designed steel framing for a 24-storey office tower in ETABS",
                    "Reviewed shop drawings and stamped calculations for 15 projects",
                ],
                "Houston, TX",
            ),
            job(
                "Bayou Engineering",
                "Structural Engineer",
                "2014-08",
                "2019-04",
                [
                    "Detailed post-tensioned concrete slabs for parking garages",
                    "Performed wind and seismic analysis to ASCE 7",
                    "Visited sites to check rebar placement before pours",
                ],
            ),
        ],
        "education": [
            school("Rice University", "M.S. Civil Engineering", "2014"),
            school("University of Lagos", "B.Sc. Civil Engineering", "2011"),
        ],
        "skills": [
            {"name": "Analysis", "items": ["ETABS", "SAP2000", "RISA-3D"]},
            {"name": "Drafting", "items": ["Revit", "AutoCAD"]},
        ],
    },
    {
        "id": "r12",
        "layout": "docx_bold",
        "style": {"entry": "title_comma_employer", "dates": "numeric", "bullets": "typed"},
        "name": "Hannah Schmidt",
        "credential": None,
        "headline": "UX Researcher",
        "email": "hannah.schmidt@example.de",
        "phone": "+49 30 901820",
        "location": "Berlin, Germany",
        "summary": "Researcher running mixed-methods studies for fintech and mobility apps.",
        "jobs": [
            job(
                "Spree Mobility",
                "Senior UX Researcher",
                "2020-10",
                "present",
                [
                    "Ran 80+ usability sessions and turned them into roadmap decisions",
                    "Built a research repository in Dovetail used by six product teams",
                ],
                "Berlin, Germany",
            ),
            job(
                "Nordbank Digital",
                "UX Researcher",
                "2017-03",
                "2020-09",
                [
                    "Designed surveys reaching 20,000 customers each quarter",
                    "Co-led the redesign of onboarding, lifting completion by 18%",
                ],
                "Hamburg, Germany",
            ),
        ],
        "education": [school("Humboldt University of Berlin", "M.Sc. Psychology", "2017")],
        "skills": [
            {"name": "Methods", "items": ["Usability testing", "Surveys", "Interviews"]},
            {"name": "Tools", "items": ["Dovetail", "Figma", "Qualtrics"]},
        ],
    },
    # ---- DOCX, name and contact in the page header/footer -------------------------------
    {
        "id": "r13",
        "layout": "docx_header",
        "style": {"entry": "title_dash_employer", "dates": "mon", "headings": "styled"},
        "name": "Lucía Fernández",
        "credential": None,
        "headline": "Pharmacist",
        "email": "lucia.fernandez@example.com",
        "phone": "(602) 555-0150",
        "location": "Phoenix, AZ",
        "summary": "Retail and hospital pharmacist focused on medication safety.",
        "jobs": [
            job(
                "Banner Health",
                "Clinical Pharmacist",
                "2019-08",
                "present",
                [
                    "Verified 400+ medication orders a shift for adult inpatient units",
                    "Led the anticoagulation dosing service with nurse practitioners",
                ],
                "Phoenix, AZ",
            ),
            job(
                "Walgreens",
                "Staff Pharmacist",
                "2016-06",
                "2019-07",
                [
                    "Counselled patients on new prescriptions and immunisations",
                    "Supervised four pharmacy technicians per shift",
                ],
                "Tempe, AZ",
            ),
        ],
        "education": [school("University of Arizona", "PharmD", "2016")],
        "skills": [
            {"name": "Clinical", "items": ["Anticoagulation", "Immunization", "Epic Willow"]},
        ],
    },
    {
        "id": "r14",
        "layout": "docx_header",
        "style": {"entry": "employer_dash_title", "dates": "year", "headings": "caps"},
        "name": "Daniel Okafor",
        "credential": "CFA",
        "headline": "Financial Analyst",
        "email": "daniel.okafor@example.com",
        "phone": "(646) 555-0199",
        "location": "New York, NY",
        "summary": "Corporate finance analyst covering budgeting, forecasting and M&A models.",
        "jobs": [
            job(
                "Hudson Capital Partners",
                "Senior Financial Analyst",
                "2020",
                "present",
                [
                    "Built three-statement models for six acquisitions worth $900M",
                    "Owned the annual budget for a $120M business unit",
                ],
                "New York, NY",
            ),
            job(
                "Empire Insurance Group",
                "Financial Analyst",
                "2016",
                "2020",
                [
                    "Produced the monthly variance report for the executive committee",
                    "Cut forecast error from 9% to 3% with driver-based models",
                ],
            ),
        ],
        "education": [school("New York University", "BS Finance", "2016")],
        "skills": [
            {"name": "Finance", "items": ["Financial modeling", "Forecasting", "Valuation"]},
            {"name": "Tools", "items": ["Excel", "Anaplan", "SQL"]},
        ],
    },
    {
        "id": "r15",
        "layout": "docx_header",
        "style": {"entry": "title_at_employer", "dates": "mon", "headings": "bold"},
        "name": "Chloé Dubois",
        "credential": None,
        "headline": "Pastry Chef",
        "email": "chloe.dubois@example.fr",
        "phone": "(504) 555-0161",
        "location": "New Orleans, LA",
        "summary": "Pastry chef running high-volume dessert programs for restaurants.",
        "jobs": [
            job(
                "Magnolia Hotel",
                "Executive Pastry Chef",
                "2019-03",
                "present",
                [
                    "Run a pastry kitchen of six producing 900 covers a night",
                    "Cut food cost 11% by rebuilding the menu around seasonal fruit",
                ],
            ),
            job(
                "Café du Monde",
                "Pastry Cook",
                "2015-04",
                "2019-02",
                ["Produced laminated doughs and beignets for two outlets"],
            ),
        ],
        "education": [school("Institute of Culinary Education", "Diploma Pastry Arts", "2015")],
        "skills": [
            {"name": "Kitchen", "items": ["Lamination", "Chocolate work", "Menu costing"]},
        ],
    },
    # ---- DOCX, contact and skills in a text box ------------------------------------------
    {
        "id": "r16",
        "layout": "docx_textbox",
        "style": {"entry": "title_dash_employer", "dates": "mon"},
        "name": "Noah Bergström",
        "credential": None,
        "headline": "Software Engineer",
        "email": "noah.bergstrom@example.se",
        "phone": "+46 8 123 456 78",
        "location": "Stockholm, Sweden",
        "summary": "Backend engineer building payment APIs in Go and Kotlin.",
        "jobs": [
            job(
                "Klarwerk Payments",
                "Senior Software Engineer",
                "2020-04",
                "present",
                [
                    "Designed the refunds API handling 3 million calls a day in Go",
                    "Cut p99 latency 40% by moving hot paths to Redis",
                ],
                "Stockholm, Sweden",
            ),
            job(
                "Nordic Rail Systems",
                "Software Engineer",
                "2017-01",
                "2020-03",
                [
                    "Built ticketing services in Kotlin and PostgreSQL",
                    "Ran the on-call rotation for the booking platform",
                ],
            ),
        ],
        "education": [
            school("KTH Royal Institute of Technology", "M.Sc. Computer Science", "2016")
        ],
        "skills": [
            {"name": "Languages", "items": ["Go", "Kotlin", "Python"]},
            {"name": "Infrastructure", "items": ["Kubernetes", "PostgreSQL", "Redis"]},
        ],
    },
    {
        "id": "r17",
        "layout": "docx_textbox",
        "style": {"entry": "employer_dash_title", "dates": "numeric"},
        "name": "Amara Nwosu",
        "credential": "LPN",
        "headline": "Licensed Practical Nurse",
        "email": "amara.nwosu@example.com",
        "phone": "(404) 555-0126",
        "location": "Atlanta, GA",
        "summary": "Practical nurse in long-term care and home health.",
        "jobs": [
            job(
                "Peachtree Senior Living",
                "Licensed Practical Nurse",
                "2018-09",
                "present",
                [
                    "Passed medications for 30 residents per shift without errors",
                    "Updated care plans with the RN supervisor and families",
                ],
                "Atlanta, GA",
            ),
            job(
                "Sunrise Home Health",
                "Home Health Aide",
                "2015-02",
                "2018-08",
                ["Visited six clients a day for bathing, meals and vital signs"],
                "Decatur, GA",
            ),
        ],
        "education": [school("Atlanta Technical College", "Diploma Practical Nursing", "2018")],
        "skills": [
            {"name": "Clinical", "items": ["Medication administration", "Wound care", "BLS"]},
        ],
    },
    {
        "id": "r18",
        "layout": "docx_textbox",
        "style": {"entry": "title_comma_employer", "dates": "year"},
        "name": "Ryan McAllister",
        "credential": None,
        "headline": "HVAC Technician",
        "email": "ryan.mcallister@example.com",
        "phone": "(801) 555-0172",
        "location": "Salt Lake City, UT",
        "summary": "EPA-certified HVAC technician for commercial rooftop units.",
        "jobs": [
            job(
                "Wasatch Mechanical",
                "HVAC Service Technician",
                "2017",
                "present",
                [
                    "Diagnose and repair rooftop units and chillers for 40 commercial clients",
                    "Keep the service van stocked and log every call in ServiceTitan",
                ],
            ),
            job(
                "Beehive Heating",
                "Installer",
                "2013",
                "2017",
                ["Installed residential furnaces and duct systems"],
            ),
        ],
        "education": [school("Salt Lake Community College", "Certificate HVAC Technology", "2013")],
        "skills": [
            {"name": "Technical", "items": ["Refrigerant recovery", "Controls", "ServiceTitan"]},
        ],
    },
    # ---- Markdown with headings --------------------------------------------------------
    {
        "id": "r19",
        "layout": "md_headings",
        "style": {"entry": "title_dash_employer", "dates": "mon"},
        "name": "Elena Petrova",
        "credential": "PhD",
        "headline": "Machine Learning Engineer",
        "email": "elena.petrova@example.com",
        "phone": "(650) 555-0181",
        "location": "Palo Alto, CA",
        "summary": "ML engineer shipping ranking and forecasting models to production.",
        "jobs": [
            job(
                "Orchard AI",
                "Staff Machine Learning Engineer",
                "2021-06",
                "present",
                [
                    "Shipped a ranking model in PyTorch that lifted click-through 9%",
                    "Built the feature store on Spark and Delta Lake",
                ],
                "Palo Alto, CA",
            ),
            job(
                "Stanford University",
                "Postdoctoral Researcher",
                "2019-01",
                "2021-05",
                ["Published four papers on probabilistic forecasting"],
                "Stanford, CA",
            ),
        ],
        "education": [
            school("Moscow State University", "PhD Applied Mathematics", "2018"),
        ],
        "skills": [
            {"name": "ML", "items": ["PyTorch", "scikit-learn", "Spark"]},
            {"name": "Languages", "items": ["Python", "Scala", "SQL"]},
        ],
    },
    {
        "id": "r20",
        "layout": "md_headings",
        "style": {"entry": "employer_line_title_line", "dates": "numeric"},
        "name": "Marcus Johnson",
        "credential": None,
        "headline": "Warehouse Supervisor",
        "email": "marcus.johnson@example.com",
        "phone": "(901) 555-0144",
        "location": "Memphis, TN",
        "summary": "Warehouse supervisor running night shifts for e-commerce fulfilment.",
        "jobs": [
            job(
                "Delta Fulfillment",
                "Warehouse Supervisor",
                "2019-11",
                "present",
                [
                    "Lead 35 associates on the night shift, shipping 20,000 orders",
                    "Raised pick accuracy to 99.7% with daily cycle counts",
                ],
                "Memphis, TN",
            ),
            job(
                "Delta Fulfillment",
                "Forklift Operator",
                "2016-03",
                "2019-10",
                ["Moved inbound freight safely with zero incidents in three years"],
                "Memphis, TN",
            ),
        ],
        "education": [school("Southwest Tennessee Community College", "A.A.S. Logistics", "2016")],
        "skills": [
            {"name": "Operations", "items": ["Inventory control", "WMS", "OSHA safety"]},
        ],
    },
    {
        "id": "r21",
        "layout": "md_headings",
        "style": {"entry": "title_at_employer", "dates": "full"},
        "name": "Aisha Rahman",
        "credential": None,
        "headline": "Content Marketer",
        "email": "aisha.rahman@example.com",
        "phone": "(512) 555-0116",
        "location": "Austin, TX",
        "summary": "Content marketer writing SEO-led guides and newsletters for SaaS brands.",
        "jobs": [
            job(
                "Bluebonnet Software",
                "Content Marketing Manager",
                "2021-01",
                "present",
                [
                    "Grew organic traffic from 40k to 210k monthly visits",
                    "Edit a newsletter with 55,000 subscribers",
                ],
                "Austin, TX",
            ),
            job(
                "Hill Country Media",
                "Copywriter",
                "2018-06",
                "2020-12",
                ["Wrote landing pages and ads for 20 local businesses"],
            ),
        ],
        "education": [school("University of Texas, Austin", "BA English", "2018")],
        "skills": [
            {"name": "Marketing", "items": ["SEO", "Content strategy", "Google Analytics"]},
            {"name": "Tools", "items": ["WordPress", "Ahrefs", "Mailchimp"]},
        ],
    },
    # ---- Markdown without headings ----------------------------------------------------
    {
        "id": "r22",
        "layout": "md_plain",
        "style": {"entry": "title_dash_employer", "dates": "mon"},
        "name": "Wei Zhang",
        "credential": None,
        "headline": "DevOps Engineer",
        "email": "wei.zhang@example.com",
        "phone": "(919) 555-0108",
        "location": "Raleigh, NC",
        "summary": "DevOps engineer automating cloud infrastructure with Terraform.",
        "jobs": [
            job(
                "Triangle Health Tech",
                "DevOps Engineer",
                "2020-07",
                "present",
                [
                    "Moved 60 services to Kubernetes on Azure with Terraform modules",
                    "Cut monthly cloud spend 25% with rightsizing reports",
                ],
                "Raleigh, NC",
            ),
            job(
                "Research Triangle Labs",
                "Systems Administrator",
                "2016-05",
                "2020-06",
                ["Managed 200 Linux servers and the backup schedule"],
            ),
        ],
        "education": [school("North Carolina State University", "B.S. Computer Science", "2016")],
        "skills": [
            {"name": "Cloud", "items": ["Azure", "Terraform", "Kubernetes"]},
            {"name": "Scripting", "items": ["Bash", "Python"]},
        ],
    },
    {
        "id": "r23",
        "layout": "md_plain",
        "style": {"entry": "employer_dash_title", "dates": "year"},
        "name": "Isabella Rossi",
        "credential": None,
        "headline": "Dental Hygienist",
        "email": "isabella.rossi@example.com",
        "phone": "(617) 555-0190",
        "location": "Providence, RI",
        "summary": "Registered dental hygienist in family and pediatric practices.",
        "jobs": [
            job(
                "Ocean State Dental",
                "Dental Hygienist",
                "2018",
                "present",
                [
                    "See eight to ten patients a day for cleanings and sealants",
                    "Take and review digital radiographs with the dentist",
                ],
                "Providence, RI",
            ),
            job(
                "Smile Kids Pediatric Dentistry",
                "Dental Assistant",
                "2015",
                "2018",
                ["Prepared operatories and calmed nervous children"],
            ),
        ],
        "education": [school("Community College of Rhode Island", "A.S. Dental Hygiene", "2018")],
        "skills": [
            {"name": "Clinical", "items": ["Scaling and root planing", "Radiography", "Dentrix"]},
        ],
    },
    {
        "id": "r24",
        "layout": "md_plain",
        "style": {"entry": "title_comma_employer", "dates": "mon"},
        "name": "Benjamin Carter",
        "credential": "SHRM-CP",
        "headline": "HR Generalist",
        "email": "ben.carter@example.com",
        "phone": "(317) 555-0153",
        "location": "Indianapolis, IN",
        "summary": "HR generalist handling recruiting, onboarding and employee relations.",
        "jobs": [
            job(
                "Hoosier Manufacturing",
                "HR Generalist",
                "2019-04",
                "present",
                [
                    "Hired 150 production staff a year through Workday Recruiting",
                    "Rewrote the employee handbook with legal counsel",
                ],
            ),
            job(
                "Circle City Staffing",
                "Recruiter",
                "2016-08",
                "2019-03",
                ["Filled 20 light-industrial roles a month for client sites"],
                "Indianapolis, IN",
            ),
        ],
        "education": [school("Ball State University", "B.S. Human Resource Management", "2016")],
        "skills": [
            {"name": "HR", "items": ["Workday", "Onboarding", "Employee relations"]},
        ],
    },
    # ---- Pasted plain text with odd bullets --------------------------------------------
    {
        "id": "r25",
        "layout": "txt_odd_bullets",
        "style": {"entry": "title_dash_employer", "dates": "mon", "bullet": "▪"},
        "name": "Sofia Lindqvist",
        "credential": None,
        "headline": "Social Worker",
        "email": "sofia.lindqvist@example.com",
        "phone": "(612) 555-0128",
        "location": "Minneapolis, MN",
        "summary": "Licensed social worker supporting families in child welfare.",
        "jobs": [
            job(
                "Hennepin County",
                "Child Protection Social Worker",
                "2018-10",
                "present",
                [
                    "Carry a caseload of 14 families and write court reports",
                    "Coordinate safety plans with schools and foster parents",
                ],
                "Minneapolis, MN",
            ),
            job(
                "Lutheran Social Service",
                "Case Manager",
                "2015-06",
                "2018-09",
                ["Connected refugee families with housing and benefits"],
            ),
        ],
        "education": [school("University of Minnesota", "MSW Social Work", "2015")],
        "skills": [
            {"name": "Practice", "items": ["Case management", "Crisis intervention"]},
        ],
    },
    {
        "id": "r26",
        "layout": "txt_odd_bullets",
        "style": {"entry": "employer_dash_title", "dates": "numeric", "bullet": "o"},
        "name": "Liam O'Connor",
        "credential": None,
        "headline": "Truck Driver",
        "email": "liam.oconnor@example.com",
        "phone": "(402) 555-0187",
        "location": "Omaha, NE",
        "summary": "Class A CDL driver with a clean record across 600,000 miles.",
        "jobs": [
            job(
                "Heartland Freight",
                "Long Haul Driver",
                "2017-02",
                "present",
                [
                    "Deliver refrigerated loads across 14 states on schedule",
                    "Complete pre-trip inspections and electronic logs every day",
                ],
                "Omaha, NE",
            ),
            job(
                "Prairie Moving Co",
                "Mover",
                "2014-05",
                "2017-01",
                ["Packed and loaded household moves with a crew of three"],
            ),
        ],
        "education": [school("Omaha North High School", "High School Diploma", "2013")],
        "skills": [
            {"name": "Driving", "items": ["Class A CDL", "Hazmat endorsement", "ELD logs"]},
        ],
    },
    {
        "id": "r27",
        "layout": "txt_odd_bullets",
        "style": {"entry": "title_at_employer", "dates": "full", "bullet": "–"},
        "name": "Yuki Tanaka",
        "credential": None,
        "headline": "Interior Designer",
        "email": "yuki.tanaka@example.com",
        "phone": "(808) 555-0120",
        "location": "Honolulu, HI",
        "summary": "Interior designer for hospitality and residential projects.",
        "jobs": [
            job(
                "Island Interiors",
                "Senior Interior Designer",
                "2019-09",
                "present",
                [
                    "Led the lobby and guest room refresh for a 300-room resort",
                    "Specified finishes and furniture within a $4M budget",
                ],
                "Honolulu, HI",
            ),
            job(
                "Kona Design Studio",
                "Junior Designer",
                "2016-01",
                "2019-08",
                ["Drew space plans in AutoCAD and built mood boards for clients"],
            ),
        ],
        "education": [school("University of Hawaii at Manoa", "BFA Interior Design", "2015")],
        "skills": [
            {"name": "Design", "items": ["AutoCAD", "SketchUp", "Revit", "Space planning"]},
        ],
    },
]
