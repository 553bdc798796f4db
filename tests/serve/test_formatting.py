"""The one renderer both faces use: answer and passage text as paragraphs, lists, bold, marks and markers."""

from __future__ import annotations

from advisor.serve.formatting import Span, blocks, to_html


def test_lines_become_paragraphs_and_bullets_one_list_with_markers_only_for_known_citations() -> None:
    text = "According to the document: Median Salary: $185,000 [1]\n- Pay is **high** [2]\n* Bonus [9]\n\nAfter"
    parts = blocks(text, cites={1, 2})
    assert [b.kind for b in parts] == ["paragraph", "list", "paragraph"]
    assert parts[0].items[0][-1] == Span(cite=1)
    assert parts[1].items[0] == (Span("Pay is "), Span("high", bold=True), Span(" "), Span(cite=2))
    assert parts[1].items[1] == (Span("Bonus [9]"),)  # no citation 9: the text as it is


def test_marks_split_spans_at_the_cited_sentences_even_inside_bold() -> None:
    text = "- **Education**: Bachelor's degree\n- Other"
    start = text.index("Bachelor")
    parts = blocks(text, marks=[(text.index("cation"), start + 8)])
    assert parts[0].items[0] == (
        Span("Edu", bold=True),
        Span("cation", bold=True, mark=True),
        Span(": Bachelor", mark=True),
        Span("'s degree"),
    )
    assert parts[0].items[1] == (Span("Other"),)


def test_html_escapes_everything_from_documents_and_links_only_markers() -> None:
    text = "# <b>Pay</b>\n- $1 <script>x()</script> [click](javascript:x) **<img src=x onerror=y>** [1]"
    out = to_html(blocks(text, cites={1}), cite_link="src-")
    assert out == (
        "<p><strong>&lt;b&gt;Pay&lt;/b&gt;</strong></p><ul><li>$1 &lt;script&gt;x()&lt;/script&gt; "
        "[click](javascript:x) <strong>&lt;img src=x onerror=y&gt;</strong> "
        '<a class="cite" href="#src-1" aria-label="Source 1">[1]</a></li></ul>'
    )
    assert to_html(blocks("Pay [1]", cites={1})) == "<p>Pay [1]</p>"


def test_numbered_choices_stay_numbered() -> None:
    # The advisor asks back with numbered choices; a reply picks one by its number, so the numbers must show.
    parts = blocks("“driver” fits several roles:\n1. Bus Drivers\n2. Taxi Drivers\nWhich one?\n- a bullet")
    assert [(b.kind, b.ordered) for b in parts] == [("paragraph", False), ("list", True), ("paragraph", False),
                                                     ("list", False)]  # fmt: skip
    assert "<ol><li>Bus Drivers</li><li>Taxi Drivers</li></ol>" in to_html(parts)
    assert parts[1].to_dict()["ordered"] is True and "ordered" not in parts[3].to_dict()
