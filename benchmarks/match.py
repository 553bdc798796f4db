"""Role fit speed: `python -m benchmarks.match --onet-index DIR [--rounds R] [--out FILE]`.

Times Advisor.match end to end (reading the background, embedding what it says with the query cache off,
scoring every role, checking the best ones point by point, the cited reply) on a set of backgrounds, on the
product index and on an index of the 1,016 imported O*NET roles. Rounds of the two indexes are interleaved and
medians of the per-round percentiles reported, since the machine is shared and noisy; the CPU flags that decide
the embedding speed are printed beside the figures. Not a test: nothing here asserts a time.

Target (issue #15): `advisor match` p95 <= 50 ms on the 1,016 O*NET roles.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from advisor import Advisor

from .answering import advisor_for, arguments, interleaved, product_advisor, report

TARGETS = {"product": {"p95_ms": 50.0}, "onet": {"p95_ms": 50.0}}
BACKGROUNDS = [
    "I have a PhD in physics, which role suits me?",
    "I have a bachelor's degree in computer science and 3 years as a cloud engineer; I know AWS, Terraform and Python.",
    "I'm a pastry chef with 12 years in bakeries. Which job fits me?",
    "Master's in statistics, 3 years analysing survey data with R and SAS. Which role fits me?",
    "I'm a licensed electrician with 8 years installing wiring in buildings. Which job suits me?",
    "I'm a CPA with a degree in accounting and 5 years preparing financial statements and audits.",
    "I build websites with HTML, CSS and JavaScript, 3 years freelance. Which role fits me?",
    "I teach third grade, have a bachelor's in education and 10 years in the classroom. Which roles fit me?",
    "I have a CDL and drove long-haul trucks for 7 years. What jobs fit me?",
    "im coming from a finance background, which of the roles fits me",
    "I optimize deep learning workloads on GPUs and profile kernels with CUDA; master's in computer engineering.",
    "RF engineer, bachelor's in electrical engineering, 9 years designing satellite communication links.",
]


def templated(advisor: Advisor, every: int = 23) -> list[str]:
    """Backgrounds naming a spread of the index's roles (every n-th title) as past work."""
    out = []
    for n, role in enumerate(advisor.roles[::every]):
        template = (
            "I worked as {} for {} years and have a bachelor's degree",
            "{} years of experience as {}, which role fits me?",
            "I'm interested in {} work and have {} years in a related job",
        )[n % 3]
        title, years = role.lower(), 2 + n % 9
        out.append(template.format(title, years) if n % 3 != 1 else template.format(years, title))
    return out


def main() -> int:
    args = arguments("match", __doc__ or "")
    with tempfile.TemporaryDirectory() as tmp:
        indexes = {"product": (product_advisor(Path(tmp)), BACKGROUNDS)}
        if args.onet_index:
            onet = advisor_for(args.onet_index)
            indexes["onet"] = (onet, BACKGROUNDS + templated(onet))
        per_index = interleaved(indexes, args.rounds, lambda advisor, background: advisor.match(background), warm=3)
    what = "Advisor.match over {n} backgrounds, {roles} roles"
    result = report(per_index, args.rounds, TARGETS, what, lambda name: {"roles": len(indexes[name][0].roles)})
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
