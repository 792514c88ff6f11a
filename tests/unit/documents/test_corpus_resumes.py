"""Every resume layout of the corpus, read against its truth, plus the layout rules of
issue 10 one by one (running footers, page breaks inside bullets, hyphenation, sidebar
skill labels, header/footer and text-box contact, entry-line orders, credentials)."""

from __future__ import annotations

import re

import pytest

from app.documents import ResumeDocument, parse_resume
from tests.corpus import CorpusDoc, load_corpus

CORPUS = load_corpus()


def _parse(doc: CorpusDoc) -> ResumeDocument:
    return parse_resume(doc.data, doc.filename)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


@pytest.mark.parametrize("doc", CORPUS.resumes, ids=lambda d: f"{d.id}-{d.layout}")
def test_resume_layout_matches_truth(doc: CorpusDoc) -> None:
    parsed = _parse(doc)
    truth = doc.truth
    assert parsed.contact.name == truth["name"]
    assert parsed.contact.email == truth["email"]
    got = [(e.employer, e.title, e.start, e.end, [b.text for b in e.bullets])
           for e in parsed.experience]  # fmt: skip
    want = [(e["employer"], e["title"], e["start"], e["end"], e["bullets"])
            for e in truth["experience"]]  # fmt: skip
    assert got == want
    assert [(_norm(e.school), _norm(e.degree)) for e in parsed.education] == [
        (_norm(e["school"]), _norm(e["degree"])) for e in truth["education"]
    ]
    assert sorted(parsed.skills) == sorted(truth["skills"])
    kinds = {s.kind.value for s in parsed.sections} - {"contact"}
    assert kinds == set(truth["sections"]) - {"contact"}


def test_running_footer_is_dropped_and_bullet_continues_across_the_page_break() -> None:
    doc = CORPUS.resume("r04")
    parsed = _parse(doc)
    assert not any("Page" in ln.text for ln in parsed.lines)
    audit = parsed.experience[1]
    assert audit.bullets[0].text == (
        "Led audit fieldwork for manufacturing clients with revenue up to $400 million, "
        "supervising teams of four associates"
    )
    assert parsed.page_count == 2


def test_auto_hyphens_are_removed_and_compound_hyphens_kept() -> None:
    text = _parse(CORPUS.resume("r01")).text
    assert "under budget" in text and "workbook" in text
    assert "plain-language" in text
    assert not re.search(r"\w- \w", text)


def test_sidebar_skill_labels_are_group_names_not_skills() -> None:
    parsed = _parse(CORPUS.resume("r01"))
    groups = {g.name: g.skills for s in parsed.sections for g in s.skill_groups}
    assert groups["Tools & Platforms"] == ["Excel", "Aspen Plus", "MATLAB", "AutoCAD"]
    assert "Tools & Platforms Excel" not in parsed.skills


def test_right_sidebar_contact_is_read_after_the_main_column() -> None:
    parsed = _parse(CORPUS.resume("r03"))
    assert parsed.contact.phone == "617-555-0139"
    assert parsed.contact.location == "Boston, MA"
    assert parsed.experience[0].employer == "Boston Children's Hospital"


@pytest.mark.parametrize("doc_id", ["r13", "r14", "r15"])
def test_docx_name_and_contact_from_page_header_and_footer(doc_id: str) -> None:
    doc = CORPUS.resume(doc_id)
    parsed = _parse(doc)
    assert parsed.contact.name == doc.truth["name"]
    assert parsed.contact.email == doc.truth["email"]
    assert parsed.contact.phone == doc.truth["phone"]


@pytest.mark.parametrize("doc_id", ["r16", "r17", "r18"])
def test_docx_contact_in_a_text_box(doc_id: str) -> None:
    doc = CORPUS.resume(doc_id)
    parsed = _parse(doc)
    assert (parsed.contact.name, parsed.contact.location) == (
        doc.truth["name"],
        doc.truth["location"],
    )


def test_docx_bold_headings_and_skills_table_do_not_make_bullets_headings() -> None:
    parsed = _parse(CORPUS.resume("r10"))
    assert len(parsed.experience) == 3
    assert [len(e.bullets) for e in parsed.experience] == [3, 2, 1]
    assert {s.kind.value for s in parsed.sections} >= {"summary", "experience", "skills"}


def test_left_date_column_stays_with_its_entry_and_promotion_keeps_title_and_dates() -> None:
    entry = _parse(CORPUS.resume("r07")).experience[0]
    assert (entry.employer, entry.title, entry.start, entry.end) == (
        "Evergreen Logistics",
        "Analyst → Senior Analyst",
        "2018-02",
        "present",
    )


@pytest.mark.parametrize(
    ("header", "employer", "title", "location"),
    [
        ("Co-op Engineer – Pacific Northwest Energy", "Pacific Northwest Energy",
         "Co-op Engineer", None),
        ("Lone Star Retail Group — Senior Accountant | Dallas, TX", "Lone Star Retail Group",
         "Senior Accountant", "Dallas, TX"),
        ("Co-op Engineer, Willamette Chemical", "Willamette Chemical", "Co-op Engineer", None),
        ("Installer, Beehive Heating", "Beehive Heating", "Installer", None),
        ("Retail Associate at Rose City Running Co · Portland, OR", "Rose City Running Co",
         "Retail Associate", "Portland, OR"),
        ("Denver Public Schools, Denver, CO", "Denver Public Schools", None, "Denver, CO"),
        ("Acme Corp, Austin TX", "Acme Corp", None, "Austin, TX"),
        ("Registered Nurse, Pediatric ICU, Boston Children's Hospital",
         "Boston Children's Hospital", "Registered Nurse, Pediatric ICU", None),
        ("Globex: Vice President of Sales", "Globex", "Vice President of Sales", None),
        ("Teacher (Grade 5) — Lincoln Elementary School", "Lincoln Elementary School",
         "Teacher (Grade 5)", None),
        ("Director, Product Marketing — Acme Corp", "Acme Corp", "Director, Product Marketing",
         None),
    ],
)  # fmt: skip
def test_entry_line_orders(
    header: str, employer: str, title: str | None, location: str | None
) -> None:
    text = (
        f"Pat Doe\npat@example.com\n\nEXPERIENCE\n{header}    Mar 2019 – Present\n"
        "- Did the work well\n"
    )
    (entry,) = parse_resume(text.encode(), "r.txt").experience
    assert (entry.employer, entry.location) == (employer, location)
    if title is not None:
        assert entry.title == title
    assert (entry.start, entry.end) == ("2019-03", "present")


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Ana Muñoz, P.Eng.", "Ana Muñoz"),
        ("Priya Raman, RN, BSN", "Priya Raman"),
        ("Jane Roe, CPA", "Jane Roe"),
        ("Benjamin Carter, SHRM-CP", "Benjamin Carter"),
        ("JOHN SMITH", "John Smith"),
        ("María de la Cruz", "María de la Cruz"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("Alex Kim (they/them)", "Alex Kim"),
        ("Dr. Sarah Connor", "Sarah Connor"),
        ("Tom Nguyen Jr.", "Tom Nguyen Jr."),
    ],
)
def test_names_with_credentials_and_accents(line: str, name: str) -> None:
    """Credentials, honorifics and pronouns are not part of the name; accents, particles
    and generational suffixes are."""
    doc = parse_resume(f"{line}\nx@example.com\n\nSKILLS\nExcel\n".encode(), "r.txt")
    assert doc.contact.name == name


@pytest.mark.parametrize(
    ("line", "school", "degree"),
    [
        ("Master of Accounting, University of Texas, Austin, 2013", "University of Texas, Austin",
         "Master of Accounting"),
        ("Omaha North High School  High School Diploma  2013", "Omaha North High School",
         "High School Diploma"),
        ("Boston University, Boston, B.A. History, 2010", "Boston University", "B.A. History"),
    ],
)  # fmt: skip
def test_education_lines(line: str, school: str, degree: str) -> None:
    doc = parse_resume(f"Pat Doe\npat@example.com\n\nEDUCATION\n{line}\n".encode(), "r.txt")
    (entry,) = doc.education
    assert (entry.school, entry.degree) == (school, degree)


def test_pasted_text_with_odd_bullets() -> None:
    for doc_id in ("r25", "r26", "r27"):
        parsed = _parse(CORPUS.resume(doc_id))
        bullets = [b.text for e in parsed.experience for b in e.bullets]
        assert bullets == [
            b for e in CORPUS.resume(doc_id).truth["experience"] for b in e["bullets"]
        ]


def test_docx_entry_lines_styled_as_list_items_still_open_entries() -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph().add_run("Maria Gonzalez").bold = True
    document.add_paragraph("maria.g@example.com | (555) 201-3344 | Tucson, AZ")
    document.add_paragraph().add_run("EXPERIENCE").bold = True
    for header, bullets in (
        ("Desert Bank — Branch Manager\tJan 2019 – Present", ["Grew deposits 18%", "Coached"]),
        ("Saguaro Credit Union — Teller Supervisor\tMar 2015 – Dec 2018", ["Balanced vaults"]),
    ):
        document.add_paragraph(header, style="List Paragraph")
        for text in bullets:
            para = document.add_paragraph(style="List Bullet")
            para.add_run(text.split()[0]).bold = True  # bold lead-in word
            para.add_run(" " + " ".join(text.split()[1:]))
    buf = io.BytesIO()
    document.save(buf)
    parsed = parse_resume(buf.getvalue(), "m.docx")
    assert [(e.employer, e.title, e.start, e.end, len(e.bullets)) for e in parsed.experience] == [
        ("Desert Bank", "Branch Manager", "2019-01", "present", 2),
        ("Saguaro Credit Union", "Teller Supervisor", "2015-03", "2018-12", 1),
    ]


def test_location_in_parentheses_and_on_its_own_line_is_never_the_employer() -> None:
    text = (
        "Sam Patel\nsam.patel@example.com | 555-010-2020\n\nWORK EXPERIENCE\n"
        "Acme Robotics (Boston, MA)\nSenior Mechanical Engineer (2019 - Present)\n"
        "- Designed gripper assemblies in SolidWorks\n"
        "Portland, OR\nBeta Motors — Mechanical Engineer, 2015 - 2019\n- Ran FEA on motor mounts\n"
        "\nEDUCATION\nB.S. Mechanical Engineering - Purdue University - 2015\n"
    )
    parsed = parse_resume(text.encode(), "s.txt")
    assert [(e.employer, e.title, e.location) for e in parsed.experience] == [
        ("Acme Robotics", "Senior Mechanical Engineer", "Boston, MA"),
        ("Beta Motors", "Mechanical Engineer", "Portland, OR"),
    ]
    assert [(e.school, e.degree) for e in parsed.education] == [
        ("Purdue University", "B.S. Mechanical Engineering")
    ]


@pytest.mark.parametrize(
    "heading", ["Where I've Worked", "Leadership Experience", "Professional Journey"]
)
def test_less_common_experience_headings_still_hold_entries(heading: str) -> None:
    text = (
        f"Pat Doe\npat@example.com\n\n{heading.upper()}\n"
        "Shift Lead – Bean There Cafe    Jun 2020 – Present\n- Trained six baristas\n"
    )
    (entry,) = parse_resume(text.encode(), "r.txt").experience
    assert (entry.employer, entry.title) == ("Bean There Cafe", "Shift Lead")


def test_docx_contact_in_a_page_header_table() -> None:
    import io

    import docx
    from docx.shared import Inches

    document = docx.Document()
    table = document.sections[0].header.add_table(rows=1, cols=2, width=Inches(6.5))
    table.cell(0, 0).text = "Olivia Brennan, MSN, RN"
    table.cell(0, 1).text = "olivia.brennan@example.com\n(555) 303-4040\nSpokane, WA"
    document.add_heading("Clinical Experience", level=2)
    para = document.add_paragraph()
    para.add_run("Charge Nurse").bold = True
    para.add_run(" | MultiCare Deaconess | 2015 – 2020")
    document.add_paragraph("Led night shift", style="List Number")
    buf = io.BytesIO()
    document.save(buf)
    parsed = parse_resume(buf.getvalue(), "o.docx")
    contact = parsed.contact
    assert (contact.name, contact.email, contact.phone, contact.location) == (
        "Olivia Brennan",
        "olivia.brennan@example.com",
        "(555) 303-4040",
        "Spokane, WA",
    )
    assert [(e.employer, e.title) for e in parsed.experience] == [
        ("MultiCare Deaconess", "Charge Nurse")
    ]


def test_two_page_grid_with_wrapped_entry_rows_and_main_column_only_on_page_two() -> None:
    from tests.corpus.render_pdf import _write

    jobs = ""
    for i, (employer, title) in enumerate(
        [("Northwind Traders", "Senior Product Manager"), ("Contoso Ltd", "Product Manager"),
         ("Fabrikam Inc", "Associate Product Manager"), ("Tailspin Toys", "Business Analyst")]
    ):  # fmt: skip
        bullets = "".join(
            f"<li>Launched feature set {j} that grew weekly active users by {10 + j}% across "
            "mobile and web while cutting support tickets for the onboarding flow</li>"
            for j in range(7)
        )
        jobs += (
            f"<div class='row'><b>{title} — {employer}</b>"
            f"<span>Jan {2020 - 3 * i} – Dec {2022 - 3 * i}</span></div><ul>{bullets}</ul>"
        )
    html = (
        "<div class='grid'><aside><h2>About</h2><p>Product manager for logistics and "
        "payments.</p><h2>Contact</h2><div>noor@example.com</div><div>+1 206 555 0111</div>"
        "<h2>Skills</h2><div>Roadmapping</div><div>SQL</div></aside><main><h1>Noor Haddad</h1>"
        f"<h2>Experience</h2>{jobs}<h2>Education</h2><p>MBA, University of Washington, 2016</p>"
        "</main></div>"
    )
    css = (
        ".grid{display:grid;grid-template-columns:30% 66%;column-gap:4%}"
        ".row{display:flex;justify-content:space-between;margin-top:6pt}"
    )
    parsed = parse_resume(_write(html, css), "n.pdf")
    assert parsed.page_count == 2
    assert [(e.employer, e.title, e.start, e.end, len(e.bullets)) for e in parsed.experience] == [
        ("Northwind Traders", "Senior Product Manager", "2020-01", "2022-12", 7),
        ("Contoso Ltd", "Product Manager", "2017-01", "2019-12", 7),
        ("Fabrikam Inc", "Associate Product Manager", "2014-01", "2016-12", 7),
        ("Tailspin Toys", "Business Analyst", "2011-01", "2013-12", 7),
    ]
    assert all(b.text.endswith("onboarding flow") for e in parsed.experience for b in e.bullets)
    assert parsed.skills == ["Roadmapping", "SQL"]
    assert parsed.contact.phone == "+1 206 555 0111"


def test_docx_experience_laid_out_in_a_table_with_a_date_column() -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph().add_run("Hana Sato").bold = True
    document.add_paragraph("hana.sato@example.com | 555-909-1212 | Portland, OR")
    document.add_paragraph().add_run("EXPERIENCE").bold = True
    table = document.add_table(rows=2, cols=2)
    rows = [
        ("2019 – Present", "Lead Designer, Studio Nine", ["Led rebrand for 12 clients", "Hired"]),
        ("2015 – 2019", "Designer, Pine & Co", ["Designed packaging"]),
    ]
    for i, (dates, header, bullets) in enumerate(rows):
        table.cell(i, 0).text = dates
        cell = table.cell(i, 1)
        cell.paragraphs[0].add_run(header).bold = True
        for text in bullets:
            cell.add_paragraph(text, style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    parsed = parse_resume(buf.getvalue(), "h.docx")
    assert [(e.employer, e.title, e.start, e.end, len(e.bullets)) for e in parsed.experience] == [
        ("Studio Nine", "Lead Designer", "2019", "present", 2),
        ("Pine & Co", "Designer", "2015", "2019", 1),
    ]
