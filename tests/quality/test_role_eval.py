"""`advisor eval --roles`: everyday titles drawn from O*NET's Alternate Titles, on the small O*NET fixture."""

from __future__ import annotations

from pathlib import Path

from advisor import Advisor
from advisor.indexing.build import build
from advisor.ingest.onet import import_onet
from advisor.quality.role_eval import VARIANTS, evaluate_roles

from ..conftest import make_settings
from ..fakes import FakeEmbedder
from ..onet_fixture import TITLES, write_onet, write_wages


def test_role_resolution_is_measured_per_variant_with_its_misses(tmp_path: Path) -> None:
    onet = write_onet(tmp_path / "onet", malformed=False)
    import_onet(onet, tmp_path / "roles", write_wages(tmp_path / "wages.xlsx"))
    settings = make_settings(tmp_path / "roles", tmp_path / "index")
    fake = FakeEmbedder()
    build(settings, embedder=fake)
    advisor = Advisor.load(settings=settings, embedder=fake)

    result = evaluate_roles(advisor, onet, sample=50)
    assert result.total["lower-cased"] == len(TITLES)  # every alternate title, once
    assert result.total["abbreviation"] == sum(1 for _code, _title, short in TITLES if short)
    # The fixture's titles are each an alternate title of one occupation: asked lower-cased, all answer for it.
    assert result.correct["lower-cased"] == len(TITLES)
    data = result.to_dict()
    assert set(data) == set(VARIANTS) and data["lower-cased"]["accuracy"] == 1.0
    text = result.format()
    assert text.startswith("Role resolution on everyday titles") and "100.0% answered for the right role" in text
    for misses in result.misses.values():
        for asked, want, got in misses:
            assert want != got and asked
    assert result.total["made-up"] == 50  # invented titles, one per sample
    # Every one-word alternate title of one occupation in the fixture ("rn", "ceo", ...) answers for it.
    codes: dict[str, set[str]] = {}
    for code, title, short in TITLES:
        for name in (title, short):
            if name and " " not in name:
                codes.setdefault(name.lower(), set()).add(code)
    one_word = {name for name, held_by in codes.items() if len(held_by) == 1}
    assert result.total["one-word"] == result.correct["one-word"] == len(one_word)
