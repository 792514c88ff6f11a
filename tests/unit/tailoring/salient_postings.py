"""Postings written for the salient-keyword tests: four professions, each mixing real terms
(tools, credentials, methods, domain nouns) with the prose every job ad has (qualifiers,
duty verbs, filler nouns, places, "when something goes wrong")."""

from __future__ import annotations

VET = """Veterinary Technician
Cedar Hollow Animal Hospital - Boise, ID

About us
Cedar Hollow is a busy small-animal practice with six doctors.

What you'll do
- Monitor anesthesia during dental and soft-tissue surgery and document vitals in AVImark
- Place IV catheters, draw blood and run in-house lab work
- Educate clients on preventive care and follow-up plans
- Keep the surgical suite stocked and sterile

Requirements
- Credentialed Veterinary Technician (CVT, LVT or RVT)
- 2+ years of experience in a small-animal clinic
- Advanced skills in anesthesia monitoring and dental radiography
- Comfortable restraining animals up to 50 lbs
- Strong communication and a calm, reliable manner when something goes wrong

Nice to have
- Fear Free certification
- Experience with AVImark or Cornerstone software
"""
LOGISTICS = """Transportation Planner
Redline Freight - Memphis, TN

Responsibilities
- Build daily load plans and tender freight to carriers in our TMS
- Track on-time delivery and detention costs and present findings to the operations leaders
- Negotiate spot rates and maintain the routing guide
- Resolve exceptions when a shipment goes wrong

Qualifications
- Bachelor's degree in supply chain or a related field
- 3+ years of experience in freight brokerage or carrier procurement
- Advanced Excel skills (pivot tables, VLOOKUP)
- Working knowledge of Incoterms and hazmat regulations
- Proven track record of reducing freight spend
- Detail-oriented, data-driven and comfortable in a fast-paced environment
"""
CHEF = """Sous Chef
Marigold Bistro - Savannah, GA

What you will do
- Run the line on busy dinner services and expedite tickets
- Write prep lists, order produce and control food cost
- Train line cooks on knife skills, plating standards and HACCP procedures
- Keep the walk-in organized and rotate stock (FIFO)

What we need
- 4+ years in a scratch kitchen, 1+ year leading a line
- ServSafe Manager certification
- Strong knowledge of French technique and whole-animal butchery
- Ability to lift 50 lbs and work evenings, weekends and holidays
- Valid food handler card
"""
CIVIL = """Civil Engineer II
Granite Arc Engineering - Sacramento, California

Responsibilities
- Prepare grading and drainage plans and stormwater reports for residential subdivisions
- Run hydrology and hydraulics models in HEC-RAS and review plan sets in Civil 3D
- Coordinate with city reviewers and respond to plan check comments

Requirements
- Bachelor's degree in civil engineering
- EIT certificate; PE license preferred
- 3+ years of land development experience in California
- Working knowledge of SWPPP and the California Building Code
- Excellent written communication
"""
