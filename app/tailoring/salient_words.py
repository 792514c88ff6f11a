"""Word classes that tell a posting's skill phrases from its prose.

A posting's frequent phrases are keywords only when they name something a person can
have: a skill, tool, credential, method or domain term ("site safety", "privilege logs",
"Procore"). Job-ad prose repeats other words too: duties start with verbs ("reconcile
vendor statements", "monitor telemetry"), requirements qualify with adjectives
("advanced", "deep", "comfortable"), and filler nouns stand for nothing on their own
("tools", "degree", "results", "track record"). Without a part-of-speech tagger these
closed-ish classes stand in for one: a phrase must be a noun phrase (no verb at its
start, no adjective or verb at its end), and a lone word must be a specific noun or a
name, not one of the generic words below.
"""

from __future__ import annotations

from app.tailoring.text import words

# Verbs of duties and requirements. A phrase that starts with one is a duty ("present
# findings"), not a term; its object may still be one ("findings" alone is filtered
# elsewhere, "site safety" in "enforce site safety" is kept).
VERBS = words(
    """
    accept achieve act adapt address adhere administer advise advocate align analyze
    analyse answer anticipate apply approve architect articulate assess assist attend
    automate balance bring build calculate care champion change check clarify close
    coach collaborate collect communicate compile complete comply conduct configure
    connect consult contribute convert coordinate cover craft create debug define
    control delegate deliver demonstrate deploy describe determine develop diagnose direct
    draw expedite
    discover dispatch document draft drive earn educate empower enable encourage enforce
    engage enhance establish evaluate exceed execute expand explain explore facilitate
    file fill find fix follow forecast foster gather generate go grow guide handle
    hear hold identify implement improve increase influence inform inspect install
    integrate interpret interview investigate keep know launch learn lift listen
    locate love maintain manage map measure meet mentor migrate minimize model monitor
    motivate move navigate negotiate obtain operate optimize optimise organize
    order organise oversee own page partner pass perform place plan prefer prepare present
    prioritize prioritise process produce promote propose protect provide publish pull
    reach read receive recommend reconcile record reduce refine repair report represent
    scale
    restrain rotate
    research resolve respond review route schedule scope secure see sell serve set
    share ship solve source speak spend stay stock streamline strengthen submit succeed
    supervise
    support take teach tell test thrive track train translate travel troubleshoot turn
    understand update upgrade validate verify want welcome wish write
    """
)

# Verbs whose bare form is just as often a noun in a posting ("the design", "a test",
# "audit", "model"): a verb only where a duty starts (line start, after "to", "and" ...).
NOUN_TOO = words(
    """
    care change check close control cover design direct document draft file forecast
    interview lift order place scale spend stock
    map model monitor page partner plan process record repair report research review route
    schedule scope source support test track train travel turn update upgrade
    """
)

# Words after which the next word starts a duty: "Monitor telemetry and document care".
DUTY_OPENERS = words("to and or will you we then must can should also help")

# Evaluations and degrees of wanting: never a term alone, never where one starts or ends
# ("advanced", "Active Ohio pharmacist", "structured sales methodology").
EVALUATIVE = words(
    """
    advanced basic deep expert professional consistent structured comfortable confident
    reliable creative diverse active valid effective efficient exceptional outstanding
    superb strong solid excellent proven demonstrated hands
    oriented driven motivated independent independently collaborative
    flexible fluent proficient familiar able current prior previous recent relevant
    related similar equivalent preferred required desired additional general overall
    specific successful complex clear dynamic entire full further major minor modern
    multiple own particular personal primary real right simple top typical various
    whole wide attention interpersonal verbal written calm busy
    """
)
# Classifying adjectives: may start a term ("annual audit", "clinical documentation",
# "commercial electrical work"), never stand alone or end one.
ADJECTIVES = EVALUATIVE | words(
    """
    annual direct clinical commercial corporate critical public secondary
    senior junior strategic technical daily weekly monthly quarterly
    individual complete structural electrical mechanical compact quality
    """
)

# Filler nouns: generic on their own (a phrase may still end in one: "test data",
# "escalation management", "production equipment").
FILLER_NOUNS = words(
    """
    tools tool software systems system services service platforms platform programs
    program data production management business field fields subject subjects degree
    degrees bachelor bachelors master masters certificate certificates certification
    certifications license licenses licensure proficiency results result time metrics
    performance framework frameworks standards standard end form forms research
    preparation employment correspondence procedures procedure analysis interviews
    emails email pipeline work things thing way ways approach record track range areas
    area level levels needs impact success value quality issues issue problems
    problem solutions solution support operations environment environments projects
    project tasks task duties duty goals goal ideas idea decisions decision process
    processes practices practice plus world site sites heights lbs pounds hours shift
    shifts availability evening evenings weekend weekends overtime schedule app apps
    deals stores store claims models features feature products content materials
    documents reports requirements opportunity mission culture values history
    plans plan organization organizations department departments office offices
    pay salary range bonus benefits equipment reading writing responding pulling
    managing maintaining exceeding meeting statement statements details detail
    plant plants mill mills facility facilities campus location locations clinic
    clinics hospital hospitals night nights overnight
    sales marketing finance engineering operations administration line lines code
    codes comments
    """
)

# Whom a phrase is about is an audience, not a skill: "category managers", "plant
# leaders", "the math department" read as the people or the unit, never as something to
# have.
PERSON_NOUNS = words(
    """
    people person persons manager managers leader leaders leadership-team executives
    executive stakeholders stakeholder customers customer clients client users user
    partners partner colleagues colleague staff employees employee members member
    engineers engineer team teams owners owner director directors peers peer
    candidates candidate applicants applicant individuals patients patient families
    pharmacist pharmacists nurse nurses driver drivers technician technicians learner
    learners cook cooks analyst analysts developer developers designer designers scientist
    scientists specialist specialists coordinator coordinators assistant assistants
    associate associates recruiter recruiters rider riders department departments division
    divisions squad squads
    family students student vendors vendor
    """
)

# Places: a posting's region is where the job is, never what it asks for.
PLACES = words(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada
    hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania
    rhode tennessee texas utah vermont virginia washington wisconsin wyoming
    north south east west northern southern eastern western central midwest
    northeast northwest southeast southwest region regions area metro county city
    state states usa america canada uk europe emea apac
    """
)

# Last parts that make a hyphenated word an adjective ("data-driven", "patient-facing",
# "third-party"): such a word qualifies a noun and cannot end a term.
HYPHEN_ADJECTIVES = words("driven based facing oriented focused level like party")

GENERIC = ADJECTIVES | FILLER_NOUNS | PERSON_NOUNS | PLACES


def verb_lemma(word: str) -> str | None:
    """The verb `word` is a form of ("reconciling" -> "reconcile"), or None."""
    if word in VERBS:
        return word
    candidates: list[str] = []
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            stem = word[: -len(suffix)]
            candidates += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])  # "mapping" -> "map"
            if suffix in ("ed", "es") and stem.endswith("i"):
                candidates.append(stem[:-1] + "y")  # "applied" -> "apply"
    return next((c for c in candidates if c in VERBS), None)


def adjective_like(word: str) -> bool:
    """A qualifier: a generic adjective ("advanced", "annual")."""
    return word in ADJECTIVES
