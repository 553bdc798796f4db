"""A small O*NET-format data set (seven occupations, every file the importer reads) and a BLS-format
workbook, written by the tests; the real data stays in ../shared/data.

The BLS rows are real May 2024 figures, one of each kind the importer must handle: a detailed code, an
hourly-only row (Actors), top-coded values (Chief Executives), a combined detailed code that covers an O*NET
occupation with no row of its own (21-1018 for Mental Health Counselors) and a broad group (47-4090, listed at
both levels, for Segmental Pavers). Mental Health Counselors and Segmental Pavers have no education survey rows."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

OCCUPATIONS = [
    (
        "29-1141.00",
        "Registered Nurses",
        "Assess patient health problems and needs, develop and implement nursing care plans, and maintain medical records.",
    ),
    ("27-2011.00", "Actors", "Play parts in stage, television, radio, video, or film productions."),
    ("11-1011.00", "Chief Executives", "Determine and formulate policies and provide overall direction of companies."),
    (
        "15-1299.08",
        "Computer Systems Engineers/Architects",
        "Design and develop solutions to complex applications problems, system administration issues, or network concerns.",
    ),
    ("13-2011.00", "Accountants and Auditors", "Examine, analyze, and interpret accounting records."),
    ("21-1014.00", "Mental Health Counselors", "Counsel and advise individuals with an emphasis on prevention."),
    ("47-4091.00", "Segmental Pavers", "Lay out, cut, and place segmental paving units."),
]
TASKS = [
    ("29-1141.00", "Engage in research activities related to nursing.", "Supplemental"),
    ("29-1141.00", "Record patients' medical information and vital signs.", "Core"),
    ("29-1141.00", "Administer medications to patients and monitor patients for reactions or side effects.", "Core"),
    ("27-2011.00", "Study and rehearse roles from scripts to interpret, learn, and memorize lines.", "Core"),
    ("11-1011.00", "Direct or coordinate an organization's financial or budget activities.", "Core"),
    ("15-1299.08", "Communicate with staff or clients to understand specific system requirements.", "Core"),
    ("13-2011.00", "Prepare detailed reports on audit findings.", "Core"),
    ("21-1014.00", "Counsel clients and patients, individually and in group sessions.", "Core"),
    ("47-4091.00", "Compact bedding sand or pavers to finish the paved area.", "Core"),
]
TITLES = [
    ("29-1141.00", "Registered Nurse (RN)", "RN"),
    ("29-1141.00", "Charge Nurse", ""),
    ("29-1141.00", "Oncology Nurse", ""),
    ("27-2011.00", "Stage Actor", ""),
    ("27-2011.00", "Voice Over Artist", ""),
    ("11-1011.00", "Chief Executive Officer (CEO)", "CEO"),
    ("15-1299.08", "Solutions Architect", ""),
    ("13-2011.00", "Accountant", ""),
]
ETE = {
    ("29-1141.00", "RL"): [(3, 21.9), (5, 19.4), (6, 56.2), (8, 2.5)],
    ("29-1141.00", "RW"): [(1, 19.0), (6, 34.0), (7, 12.0), (8, 13.0), (9, 22.0)],
    ("29-1141.00", "OJ"): [(1, 5.0), (4, 34.0), (6, 20.0), (3, 41.0)],
    ("27-2011.00", "RL"): [(2, 40.0), (6, 45.0), (4, 15.0)],
    ("11-1011.00", "RL"): [(6, 40.0), (8, 50.0), (11, 10.0)],
    ("13-2011.00", "RL"): [(6, 80.0), (8, 20.0)],
}
CATEGORIES = {
    "RL": {1: "Less than a High School Diploma", 2: "High School Diploma - or the equivalent (for example, GED)",
           3: "Post-Secondary Certificate - awarded for training completed after high school", 4: "Some College Courses",
           5: "Associate's Degree (or other 2-year degree)", 6: "Bachelor's Degree", 8: "Master's Degree", 11: "Doctoral Degree"},
    "RW": {1: "", 6: "Over 1 year, up to and including 2 years", 7: "Over 2 years, up to and including 4 years",
           8: "Over 4 years, up to and including 6 years", 9: "Over 6 years, up to and including 8 years"},
    "OJ": {1: "None or short demonstration", 3: "Over 1 month, up to and including 3 months",
           4: "Over 3 months, up to and including 6 months", 6: "Over 1 year, up to and including 2 years"},
}  # fmt: skip
# The reference's own words: each level's experience text ends with another occupation as its example.
ZONES = [
    (2, "Job Zone Two: Some Preparation Needed", "Some previous work-related skill, knowledge, or experience is "
     "usually needed. For example, a teller would benefit from experience working directly with the public.",
     "These occupations usually require a high school diploma.", "A few months to one year of training."),
    (3, "Job Zone Three: Medium Preparation Needed", "Previous work-related skill is required. For example, an "
     "electrician must have completed three or four years of apprenticeship.",
     "Most require training in vocational schools or an associate's degree.", "One or two years of training."),
    (4, "Job Zone Four: Considerable Preparation Needed", "A considerable amount of experience is needed. For "
     "example, an accountant must complete four years of college.",
     "Most of these occupations require a four-year bachelor's degree, but some do not.", "Several years."),
    (5, "Job Zone Five: Extensive Preparation Needed", "Extensive experience is needed. For example, surgeons "
     "must complete four years of college and five to seven years of specialized medical training.",
     "Most of these occupations require graduate school.", "Some on-the-job training."),
]  # fmt: skip
WAGES_HEADER = ["OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "A_MEAN", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75",
                "A_PCT90", "H_MEAN", "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90", "ANNUAL", "HOURLY"]  # fmt: skip
WAGES = [
    ("29-1141", "Registered Nurses", "detailed", 3282010, 98430, 66030, 78610, 93600, 107960, 135320,
     47.32, 31.75, 37.79, 45, 51.9, 65.06, None, None),
    ("27-2011", "Actors", "detailed", 38800, "*", "*", "*", "*", "*", "*", 44.4, 14, 16.94, 23.33, 41.09, 97.19,
     None, "TRUE"),
    ("11-1011", "Chief Executives", "detailed", 211850, 262930, 73710, 126080, 206420, "#", "#",
     126.41, 35.44, 60.61, 99.24, "#", "#", None, None),
    ("13-2011", "Accountants and Auditors", "detailed", 1448290, 93520, 52780, 64660, 81680, 106450, 141420,
     44.96, 25.38, 31.09, 39.27, 51.18, 67.99, None, None),
    ("21-1018", "Substance Abuse, Behavioral Disorder, and Mental Health Counselors", "detailed", 440380, 65100,
     39090, 47170, 59190, 76230, 98210, 31.3, 18.79, 22.68, 28.46, 36.65, 47.22, None, None),
    ("47-4090", "Miscellaneous Construction and Related Workers", "broad", 33530, 52910, 35160, 39990, 48120, 60960,
     77540, 25.44, 16.9, 19.23, 23.14, 29.31, 37.28, None, None),
    ("47-4090", "Miscellaneous Construction and Related Workers", "detailed", 33530, 52910, 35160, 39990, 48120,
     60960, 77540, 25.44, 16.9, 19.23, 23.14, 29.31, 37.28, None, None),
]  # fmt: skip


def write_onet(folder: Path, malformed: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    names = {code: title for code, title, _ in OCCUPATIONS}

    def table(name: str, header: list[str], rows: list[list[str]]) -> None:
        lines = ["\t".join(header)] + ["\t".join(map(str, r)) for r in rows]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    table("Occupation Data.txt", ["O*NET-SOC Code", "Title", "Description"], [list(o) for o in OCCUPATIONS])
    tasks = [[c, names[c], i, t, kind, 90, "08/2023", "Incumbent"] for i, (c, t, kind) in enumerate(TASKS)]
    if malformed:
        tasks.insert(2, ["29-1141.00", "Registered Nurses", "99 a row with too few fields"])
    table("Task Statements.txt", ["O*NET-SOC Code", "Title", "Task ID", "Task", "Task Type", "Incumbents Responding",
                                  "Date", "Domain Source"], tasks)  # fmt: skip
    table("Alternate Titles.txt", ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
          [[c, names[c], a, s, "08"] for c, a, s in TITLES])  # fmt: skip
    header = ["O*NET-SOC Code", "Title", "Element ID", "Element Name", "Scale ID", "Scale Name", "Category",
              "Data Value", "N", "Standard Error", "Lower CI Bound", "Upper CI Bound", "Recommend Suppress", "Date",
              "Domain Source"]  # fmt: skip
    rows = [[c, names[c], "x", scale, scale, scale, cat, value, 30, 1, 0, 0, "N", "08/2023", "Incumbent"]
            for (c, scale), values in ETE.items() for cat, value in values]  # fmt: skip
    table("Education, Training, and Experience.txt", header, rows)
    table("Education, Training, and Experience Categories.txt",
          ["Element ID", "Element Name", "Scale ID", "Scale Name", "Category", "Category Description"],
          [["x", s, s, s, k, v] for s, cats in CATEGORIES.items() for k, v in cats.items()])  # fmt: skip
    table("Job Zones.txt", ["O*NET-SOC Code", "Title", "Job Zone", "Date", "Domain Source"],
          [["29-1141.00", "Registered Nurses", 3, "08/2023", "Analyst"], ["11-1011.00", "Chief Executives", 5, "08/2023", "Analyst"],
           ["13-2011.00", "Accountants and Auditors", 4, "08/2023", "Analyst"], ["21-1014.00", "Mental Health Counselors", 5, "08/2023", "Analyst"],
           ["47-4091.00", "Segmental Pavers", 2, "08/2023", "Analyst"]])  # fmt: skip
    table("Job Zone Reference.txt", ["Job Zone", "Name", "Experience", "Education", "Job Training", "Examples", "SVP Range"],
          [[z, name, exp, edu, training, "x", "x"] for z, name, exp, edu, training in ZONES])  # fmt: skip
    return folder


def write_wages(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "national_M2024_dl"
    sheet.append(["AREA", "AREA_TYPE", *WAGES_HEADER])
    for row in WAGES:
        sheet.append(["99", 1, *row])
    sheet.append(["99", 1, "not-a-code", "Broken", "detailed", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, None, None])
    book.save(path)
    return path
