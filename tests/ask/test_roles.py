from __future__ import annotations

import pytest

from advisor.ask.roles import RoleResolver, asked_role_phrase, names_role, with_placeholder, without_role

ROLES = [
    "ML Performance Architect",
    "Senior Cloud Engineer",
    "Senior Credit Risk Analyst",
    "Senior Computer Vision Engineer",
    "Senior Communications Systems Engineer",
]
HEADINGS = ["Machine Learning Engineer", "AI Solution Architect", "ML Performance Architect (Estimated)", "Benefits"]


@pytest.fixture(scope="module")
def resolver() -> RoleResolver:
    return RoleResolver(ROLES, HEADINGS)


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("What does an ML Performance Architect earn?", "ML Performance Architect"),
        ("ML perf architect salary?", "ML Performance Architect"),
        ("what does a machine learning performance architect do", "ML Performance Architect"),
        ("How much do cloud engineers make?", "Senior Cloud Engineer"),
        ("Senior Cloud Enginer requirements", "Senior Cloud Engineer"),
        ("What do credit risk analysts need?", "Senior Credit Risk Analyst"),
        ("skills of a CV engineer", "Senior Computer Vision Engineer"),
        ("comms systems engineer duties", "Senior Communications Systems Engineer"),
        # The field for the person: "engineering" for the engineer, "analysis" for the analyst.
        ("is senior computer vision engineering only a self driving car thing", "Senior Computer Vision Engineer"),
        ("credit risk analysis degree?", "Senior Credit Risk Analyst"),
    ],
)
def test_titles_and_everyday_variants_resolve(resolver: RoleResolver, question: str, role: str) -> None:
    assert resolver.resolve(question).role == role


def test_a_bare_head_noun_names_no_role(resolver: RoleResolver) -> None:
    match = resolver.resolve("What does an engineer earn?")
    assert match.role is None


def test_unknown_roles_are_reported_as_asked(resolver: RoleResolver) -> None:
    match = resolver.resolve("How much does a registered nurse earn?")
    assert match.role is None and match.unknown and match.asked == "registered nurse"


def test_roles_named_inside_documents_are_found_by_heading(resolver: RoleResolver) -> None:
    match = resolver.resolve("What does a machine learning engineer earn?")
    assert match.role is None and not match.unknown
    assert match.mentioned_in == ("Machine Learning Engineer",)
    assert resolver.resolve("salary of an ML engineer").mentioned_in == ("Machine Learning Engineer",)


def test_a_titles_field_words_in_a_row_name_it(resolver: RoleResolver) -> None:
    assert resolver.field("is computer vision a field with a future?") == "Senior Computer Vision Engineer"
    assert resolver.field("credit risk pay") == "Senior Credit Risk Analyst"
    assert resolver.field("is cloud a good field") is None  # one word is not a field
    assert resolver.field("what is engineering") is None


def test_no_role_at_all(resolver: RoleResolver) -> None:
    match = resolver.resolve("What is the capital of France?")
    assert match.role is None and match.asked is None and not match.unknown


def test_subject_of_a_section(resolver: RoleResolver) -> None:
    doc = "ML Performance Architect"
    assert resolver.subject_of(doc, ("Salary Ranges", "ML Performance Architect (Estimated)")) == doc
    assert resolver.subject_of(doc, ("Salary Ranges", "Machine Learning Engineer")) == "Machine Learning Engineer"
    assert resolver.subject_of(doc, ("Career Development", "Compensation and Benefits")) == doc


def test_titles_without_latin_letters_and_notes_in_headings() -> None:
    resolver = RoleResolver(["Медсестра", "---", "Data Wrangler"], ["Data Engineer (Estimated)"])
    assert resolver.resolve("Сколько зарабатывает медсестра?").role == "Медсестра"
    assert resolver.resolve("what does a data engineer earn?").mentioned_in == ("Data Engineer",)
    assert resolver.subject_of("---", "Pay") == "---"


def test_helpers() -> None:
    assert asked_role_phrase("Is a pastry chef well paid?") == "pastry chef"
    assert asked_role_phrase("What is the capital of France?") is None
    assert without_role("What does a Senior Cloud Engineer earn?", "Senior Cloud Engineer") == "What does a earn?"
    assert names_role(("Salary Ranges", "ML Performance Architect (Estimated)"), "ML Performance Architect")
    assert not names_role(("Salary Ranges", "Machine Learning Engineer"), "ML Performance Architect")


def test_a_word_saying_which_figure_is_asked_names_no_role() -> None:
    resolver = RoleResolver(["Low Vision Therapists", "Firefighters"], [])
    assert resolver.named_roles("how low and how high can firefighter pay go") == ["Firefighters"]
    assert resolver.named_roles("firefighters vs low vision therapists") == ["Firefighters", "Low Vision Therapists"]


# Everyday titles over O*NET-style roles: the aliases are the alternate titles the importer writes.
ONET_ROLES = {
    "Education Administrators, Postsecondary": ["Provost", "Dean of Students"],
    "Police and Sheriff's Patrol Officers": ["Cop", "Patrol Officer"],
    "Legislative Pages": ["Page"],
    "Registered Nurses": ["Registered Nurse (RN)", "RN"],
    "Nannies": ["Nanny"],
    "Heavy and Tractor-Trailer Truck Drivers": ["Truck Driver", "Heavy Truck Driver", "CDL Driver"],
    "Light Truck Drivers": ["Truck Driver", "Delivery Driver"],
    "Material Moving Workers, All Other": ["Heavy Truck Driver"],
    "Pharmacy Technicians": ["Certified Pharmacy Technician"],
    "Bus and Truck Mechanics and Diesel Engine Specialists": [
        "Diesel Technician (Diesel Tech)",
        "Diesel Mechanic Tech (Diesel Mechanic Technician)",
    ],
    "Travel Agents": ["Travel Consultant"],
    "Heating, Air Conditioning, and Refrigeration Mechanics and Installers": ["HVAC Tech"],
    "Paralegals and Legal Assistants": [],
    "Kindergarten Teachers, Except Special Education": [],
    "Special Education Teachers, Kindergarten": [],
    "Correctional Officers and Jailers": ["Correctional Officer", "Jailer"],
    "Probation Officers and Correctional Treatment Specialists": ["Correctional Officer", "Probation Officer"],
    "Teachers and Instructors, All Other": ["Teacher"],
    "Middle School Teachers, Except Special and Career/Technical Education": ["Teacher"],
    "Elementary School Teachers, Except Special Education": ["Teacher"],
    "Human Resources Assistants, Except Payroll and Timekeeping": [],
    "Payroll and Timekeeping Clerks": [],
}


@pytest.fixture(scope="module")
def onet() -> RoleResolver:
    return RoleResolver(ONET_ROLES, (), ONET_ROLES)


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # One-word alternate titles that are no person nouns, where the question names a role with them.
        ("How much does a provost make?", "Education Administrators, Postsecondary"),
        ("cop salary?", "Police and Sheriff's Patrol Officers"),
        ("what does a page do", "Legislative Pages"),
        # Plurals the plain rule misses.
        ("how much do RNs make", "Registered Nurses"),
        ("what do nannies earn", "Nannies"),
        # Words for the figure asked are no part of the title ("the highest paid nannies" are nannies).
        ("how much do the highest paid nannies make", "Nannies"),
        ("top 10 percent RNs salary", "Registered Nurses"),
        # A shorthand the titles themselves pair with the full word (tech, technician).
        ("how much do pharmacy techs make", "Pharmacy Technicians"),
        ("hvac technician pay", "Heating, Air Conditioning, and Refrigeration Mechanics and Installers"),  # and back
        # The variant asked.
        ("how much does a light truck driver make", "Light Truck Drivers"),
        # A shared alternate title goes to the specific occupation, not the catch-all one.
        ("heavy truck driver pay", "Heavy and Tractor-Trailer Truck Drivers"),
        # Each occupation a title joins with "and" names it.
        ("What level of education do paralegals usually need?", "Paralegals and Legal Assistants"),
        ("what do legal assistants usually earn", "Paralegals and Legal Assistants"),
    ],
)
def test_everyday_titles_resolve(onet: RoleResolver, question: str, role: str) -> None:
    assert onet.resolve(question).role == role


def test_an_everyday_word_that_is_a_title_names_no_role_elsewhere(onet: RoleResolver) -> None:
    assert onet.resolve("what is on the next page of the report about pay").role is None


def test_a_title_several_occupations_share_is_offered_as_a_choice(onet: RoleResolver) -> None:
    match = onet.resolve("How much does a truck driver make?")
    assert match.role is None and match.candidates == ("Heavy and Tractor-Trailer Truck Drivers", "Light Truck Drivers")


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # The words of two titles, in the order of one, before its qualifier.
        ("How much do kindergarten teachers make?", "Kindergarten Teachers, Except Special Education"),
        # An alternate title two occupations list, the own title of one of them.
        ("correctional officer pay range", "Correctional Officers and Jailers"),
    ],
)
def test_of_several_roles_a_title_fits_the_one_it_is_the_own_title_of_is_meant(
    onet: RoleResolver, question: str, role: str
) -> None:
    assert onet.resolve(question).role == role


def test_what_a_title_says_it_is_not_names_nothing_of_it(onet: RoleResolver) -> None:
    assert onet.resolve("payroll and timekeeping pay").role is None
    assert onet.resolve("payroll and timekeeping clerk pay").role == "Payroll and Timekeeping Clerks"
    assert not onet.holds("Human Resources Assistants, Except Payroll and Timekeeping", "payroll clerk")
    assert onet.holds("Payroll and Timekeeping Clerks", "clerks")


def test_a_catch_all_occupation_is_not_the_own_title_of_a_shared_word(onet: RoleResolver) -> None:
    # "Teachers and Instructors, All Other" joins "teachers" with instructors, and is no more meant than others.
    match = onet.resolve("how much do teachers make")
    assert (
        match.role is None
        and "Middle School Teachers, Except Special and Career/Technical Education" in match.candidates
    )


def test_a_word_that_ends_many_titles_is_offered_as_a_choice_whoever_lists_it() -> None:
    roles = {
        "Electrical Engineering Technicians": ["Technician"],
        "Engineering Technicians, All Other": ["Technician"],
        "Pharmacy Technicians": [],
        "Surgical Technicians": [],
    }
    match = RoleResolver(roles, (), roles).resolve("technician salary")
    assert match.role is None and "Pharmacy Technicians" in match.candidates


def test_the_plural_of_a_titles_initials_is_no_word_of_the_question(onet: RoleResolver) -> None:
    match = onet.resolve("how much do RNs make")
    assert match.role == "Registered Nurses"
    assert with_placeholder("how much do RNs make", [match.role, match.asked or ""]) == "how much do this role make"


def test_a_made_up_title_is_unknown(onet: RoleResolver) -> None:
    match = onet.resolve("how much does a unicorn driver make")
    assert match.unknown and match.asked == "unicorn driver"


def test_a_titles_initials_name_it_when_no_other_title_shares_them(resolver: RoleResolver) -> None:
    assert resolver.resolve("mlpa bonuses?").role == "ML Performance Architect"
    assert resolver.resolve("what do scses earn").role == "Senior Communications Systems Engineer"
    # Too short to be anything but a word or another acronym.
    assert resolver.resolve("sce salary").role is None
    # Two titles with the same initials: neither is named by them.
    shared = RoleResolver(
        ["Data Science Research Analysts", "Digital Sales Retail Associates", "Marine Cargo Inspectors"]
    )
    assert shared.resolve("dsra pay").role is None
    assert shared.resolve("mci pay").role is None  # three letters


def test_a_seniority_word_before_a_title_word_names_that_role_in_a_comparison(resolver: RoleResolver) -> None:
    assert resolver.named_roles("mlpa vs sr comms eng degree reqs") == [
        "ML Performance Architect",
        "Senior Communications Systems Engineer",
    ]


@pytest.mark.parametrize(
    ("question", "names", "single", "topic"),
    [
        (
            "mlpa bonuses? perf / sign-on?",
            ["ML Performance Architect", "mlpa"],
            True,
            "this role bonuses? perf / sign-on?",
        ),
        (
            "what performance bonuses do ml performance architects get",
            ["ML Performance Architect"],
            True,
            "what performance bonuses do this role get",
        ),
        ("what does a senior cloud engineer do?", ["Senior Cloud Engineer"], True, "what does this role do?"),
        (
            "cloud vs comms pay",
            ["Senior Cloud Engineer", "Senior Communications Systems Engineer"],
            False,
            "this role vs pay",
        ),
    ],
)
def test_the_words_naming_the_role_become_this_role_and_its_words_elsewhere_stay(
    question: str, names: list[str], single: bool, topic: str
) -> None:
    assert with_placeholder(question, names, single) == topic


def test_a_hyphened_alternate_title_is_found_written_whole() -> None:
    resolver = RoleResolver(
        ["Radiologic Technologists", "Cardiovascular Technologists"],
        aliases={"Radiologic Technologists": ["X-Ray Technologist"], "Cardiovascular Technologists": ["EKG Tech"]},
    )
    assert resolver.resolve("how much do xray technologists make").role == "Radiologic Technologists"
    assert resolver.resolve("x-ray technologist pay").role == "Radiologic Technologists"


def test_a_word_the_question_says_besides_the_title_tells_the_roles_apart() -> None:
    roles: dict[str, list[str]] = {
        "Special Education Teachers, Elementary School": [],
        "Special Education Teachers, Secondary School": [],
        "Elementary School Teachers, Except Special Education": [],
        "Adult Basic Education, Adult Secondary Education, and English as a Second Language Instructors": [],
    }
    resolver = RoleResolver(roles, (), roles)
    special = {"Special Education Teachers, Elementary School", "Special Education Teachers, Secondary School"}
    asked = "special education teacher salary, elementary"
    assert resolver.told_apart(special, asked, "special education teacher") == {
        "Special Education Teachers, Elementary School"
    }
    # Words the question denies name no role; small words ("a", "and" in a long title) tell nothing apart.
    schools = {"Special Education Teachers, Elementary School", "Elementary School Teachers, Except Special Education"}
    assert resolver.told_apart(schools, "elementary school, not special ed", "elementary school") == schools
    every = set(roles)
    assert resolver.told_apart(every, "what do teachers make a year", "teachers") == every
    # A word saying what is asked names no title: "education" is the topic, not the Special Education one.
    asked = "what education does an elementary school teacher need"
    assert resolver.told_apart(schools, asked, "elementary school teacher") == schools
    # A title no occupation has is not taken for the one of its guesses that a word of the question names.
    guesses = {
        "Special Education Teachers, Elementary School",
        "Adult Basic Education, Adult Secondary Education, and English as a Second Language Instructors",
    }
    assert (
        resolver.told_apart(guesses, "how much does a rockstar teacher in elementary make", "rockstar teacher")
        == guesses
    )


def test_an_irregular_plural_of_a_title_names_it() -> None:
    roles = {"Refuse and Recyclable Material Collectors": ["Garbage Man"], "Camera Operators": ["Cameraman"]}
    resolver = RoleResolver(roles, (), roles)
    assert resolver.resolve("how much do garbage men make").role == "Refuse and Recyclable Material Collectors"
    assert "cameramen" in resolver.title_spellings()  # a plural, no typo to mend


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("can i make six figures driving a heavy truck", "Heavy and Tractor-Trailer Truck Drivers"),
        ("what does driving a light truck pay", "Light Truck Drivers"),
    ],
)
def test_a_job_said_by_what_is_done_names_the_one_doing_it(onet: RoleResolver, question: str, role: str) -> None:
    match = onet.resolve(question)
    assert match.role == role
    # The words as asked, so the rest of the question reads without them.
    assert match.asked is not None and match.asked in question and match.asked.startswith("driving a ")


def test_a_verb_alone_or_a_generic_doer_names_no_job(onet: RoleResolver) -> None:
    assert onet.resolve("whats the pay for working in a warehouse").role is None
    assert onet.resolve("i like driving, what pays well").role is None
    # The title must say what is done to: "jailing ghosts" is no jailer's job.
    assert onet.resolve("what degree for jailing ghosts").role is None
