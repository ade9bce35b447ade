"""The book's PDFs: one per page with page numbers and a bookmark per section, one for the whole
book with a bookmark per chapter, printed with the print stylesheet and linked from every page."""
import re

import pytest
from bs4 import BeautifulSoup

from secorgs.build import pdf
from secorgs.build.pdf import HTML

pytestmark = pytest.mark.browser


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


@pytest.fixture(scope="module")
def printed(browser):
    """Print the book (pages whose HTML is unchanged since the last printing are reused)."""
    return pdf.build(browser=browser)


def test_every_page_has_a_pdf_with_page_numbers_and_a_bookmark_per_section(printed):
    from pypdf import PdfReader

    for name in pdf.toc_pages():
        reader = PdfReader(HTML / pdf.page_pdf(name))
        soup = BeautifulSoup((HTML / name).read_text(encoding="utf-8"), "html.parser")
        bookmarks = {squash(t) for t in outline_titles(reader.outline)}
        for heading in soup.select("article h2"):
            title = heading.get_text(" ").replace("#", "")
            assert squash(title) in bookmarks, f"{name}: no bookmark for section {title.strip()!r}"
        pages = len(reader.pages)
        last = " ".join((reader.pages[-1].extract_text() or "").split())
        assert f"{pages} / {pages}" in last, f"{name}: no page number on its last page"


def test_the_book_pdf_has_a_bookmark_per_page_of_the_table_of_contents(printed):
    from pypdf import PdfReader

    reader = PdfReader(printed)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert [squash(t) for t in top] == [squash(pdf.page_title(HTML, n)) for n in pdf.toc_pages()]
    assert len(reader.pages) >= 2 * len(top)


def test_print_drops_toggles_and_hidden_code(printed):
    from pypdf import PdfReader

    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(HTML / pdf.page_pdf("chapters/asean.html")).pages)
    assert "Show code cell source" not in text and "Toggle hidden content" not in text
    hidden = BeautifulSoup((HTML / "chapters/asean.html").read_text(encoding="utf-8"), "html.parser")
    hidden_code = [c.get_text() for c in hidden.select(".cell.tag_hide-input .cell_input pre")]
    assert hidden_code, "the ASEAN chapter has no hidden code: the test would be vacuous"
    assert "glue(" in " ".join(hidden_code) and "glue(" not in text


def test_every_page_links_its_pdf_the_book_pdf_and_the_course_pack(printed):
    for name in pdf.toc_pages():
        page = HTML / name
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = {a["href"] for a in soup.select(".dropdown-download-buttons a[href], a.btn[href]")}
        wanted = [l for l in links if l.endswith(".pdf") or l.endswith(".zip")]
        assert len(wanted) >= 3, f"{name}: download menu lacks the PDFs or the course pack: {sorted(links)}"
        for link in wanted:
            assert (page.parent / link).resolve().exists(), f"{name}: {link} does not exist"
