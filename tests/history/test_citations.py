import pytest

from history.citations import citation, parse_citation, title_from_file_name


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (
            "000_1d8253ec5883a8d2.txt",
            {
                "title": "Web pages about Trotsky and Stalin (collected scrape)",
                "file": "000_1d8253ec5883a8d2.txt",
            },
        ),
        (
            "trotsky_trial-notes.txt",
            {"title": "Trotsky trial notes", "file": "trotsky_trial-notes.txt"},
        ),
        ("e3b0c44298fc1c14.html", {"title": "Untitled document", "file": "e3b0c44298fc1c14.html"}),
        (
            "Isaac Deutscher, The Prophet Armed (1954)",
            {"title": "The Prophet Armed", "author": "Isaac Deutscher", "year": 1954},
        ),
        ("My Life (1930)", {"title": "My Life", "year": 1930}),
        ("Pravda, 24 January 1924", {"title": "Pravda, 24 January 1924"}),
        (
            "https://en.wikipedia.org/wiki/Leon_Trotsky",
            {
                "title": "Web page on en.wikipedia.org",
                "url": "https://en.wikipedia.org/wiki/Leon_Trotsky",
            },
        ),
    ],
)
def test_one_line_of_an_old_source_is_read_into_fields(text, fields):
    assert parse_citation(text) == {"author": "", "year": None, "url": "", "file": ""} | fields


@pytest.mark.parametrize(
    "text",
    ["Isaac Deutscher, The Prophet Armed (1954)", "My Life (1930)", "Pravda, 24 January 1924"],
)
def test_a_citation_read_back_reads_the_same(text):
    fields = parse_citation(text)
    assert citation(fields["title"], fields["author"], fields["year"]) == text


def test_a_title_from_a_file_name_never_is_the_file_name():
    assert title_from_file_name("000_1d8253ec5883a8d2.txt") != "000_1d8253ec5883a8d2.txt"
    assert title_from_file_name("1917.pdf") == "Untitled document"
