from quiz.bench.profile import area_of, read_collapsed, summary

ROOT = "run (gunicorn/workers/sync.py:132);WSGIHandler.__call__ (django/core/handlers/wsgi.py:124)"
VIEW = ROOT + ";answer (quiz/play/views.py:120)"
COLLAPSED = "\n".join(
    [
        VIEW + ";execute (django/db/backends/sqlite3/base.py:354) 30",
        VIEW + ";as_sql (django/db/models/sql/compiler.py:750);_compile (re/__init__.py:10) 50",
        VIEW + ";render (django/template/base.py:1000) 20",
        "a line py-spy would never write",
    ]
)


def test_a_sample_counts_for_the_innermost_frame_that_has_an_area():
    # The regular expression compiled for the ORM counts as the ORM, not as "other".
    stacks = read_collapsed(COLLAPSED)
    assert sum(stacks.values()) == 100
    assert sorted(area_of(stack) for stack in stacks) == [
        "ORM: building SQL, making objects",
        "database: executing and fetching",
        "templates",
    ]


def test_the_summary_gives_each_area_and_our_functions_inclusive_shares():
    text = summary(read_collapsed(COLLAPSED))
    assert "100 samples" in text
    assert " 50.0 %  ORM: building SQL, making objects" in text
    assert " 30.0 %  database: executing and fetching" in text
    assert "100.0 %  answer (quiz/play/views.py)" in text


def test_no_samples_says_so_rather_than_dividing_by_zero():
    assert "no samples" in summary(read_collapsed(""))
