"""Citations: how a source reads to a pupil, and reading one back from old data.

Before sources had a title, a source was one line of text: a citation such as
"Isaac Deutscher, The Prophet Armed (1954)", or the seed document's file name.
`parse_citation` turns such a line into a source's fields so that old unit
files still import, and `citation` writes the line a pupil reads.
"""

import re
from urllib.parse import urlsplit

# The project's seed document (see docs): a file name no pupil should read as a title.
KNOWN_FILES = {
    "000_1d8253ec5883a8d2.txt": "Web pages about Trotsky and Stalin (collected scrape)",
}
UNTITLED = "Untitled document"

_FILE_NAME = re.compile(r"^[^\s/\\]+\.[A-Za-z0-9]{1,5}$")
_YEAR = r" \((?P<year>[1-9]\d{0,3})\)$"
_AUTHOR_TITLE_YEAR = re.compile(r"^(?P<author>[^,()]+), (?P<title>.+)" + _YEAR)
_TITLE_YEAR = re.compile(r"^(?P<title>.+)" + _YEAR)


def citation(title: str, author: str = "", year: int | None = None) -> str:
    """ "Isaac Deutscher, The Prophet Armed (1954)": author, title and year where known."""
    text = f"{author}, {title}" if author else title
    return f"{text} ({year})" if year else text


def is_file_name(text: str) -> bool:
    """ "000_1d8253ec5883a8d2.txt": one word with an extension, no title for a pupil."""
    return bool(_FILE_NAME.match(text))


def title_from_file_name(name: str) -> str:
    """A title made from a file name's words ("trotsky_notes.txt" → "Trotsky notes").

    A name with no words in it (a scraper's hash) gives "Untitled document": the
    file name stays in the source's `file`, and a teacher can give it a title.
    """
    if name in KNOWN_FILES:
        return KNOWN_FILES[name]
    stem = name.rsplit(".", 1)[0]
    words = [w for w in re.split(r"[\W_]+", stem) if w.isalpha()]
    if not words:
        return UNTITLED
    text = " ".join(words)
    return text[0].upper() + text[1:]


def parse_citation(text: str) -> dict:
    """The fields of a source written as one line: a file name, a web address or a citation."""
    text = text.strip()
    fields = {"title": text, "author": "", "year": None, "url": "", "file": ""}
    if text.startswith(("http://", "https://")):
        host = urlsplit(text).hostname or text
        return fields | {"title": f"Web page on {host}", "url": text}
    if is_file_name(text):
        return fields | {"title": title_from_file_name(text), "file": text}
    if match := _AUTHOR_TITLE_YEAR.match(text):
        return fields | {
            "title": match["title"],
            "author": match["author"],
            "year": int(match["year"]),
        }
    if match := _TITLE_YEAR.match(text):
        return fields | {"title": match["title"], "year": int(match["year"])}
    return fields
