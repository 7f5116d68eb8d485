import pytest

from history.dates import DAY, MONTH, YEAR, PartialDate, format_date, format_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1879", PartialDate(1879)),
        ("1938-02", PartialDate(1938, 2)),
        ("1940-08-21", PartialDate(1940, 8, 21)),
        ("1906~", PartialDate(1906, circa=True)),
        ("c. 1906", PartialDate(1906, circa=True)),
        ("-0044", PartialDate(-44)),
        ("-44-03-15", PartialDate(-44, 3, 15)),
    ],
)
def test_it_parses_partial_iso_dates(text, expected):
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    "text", ["", "1940-13", "1940-02-30", "1939-02-29", "0", "0000", "20 August 1940", "1940-8-1"]
)
def test_it_rejects_impossible_or_malformed_dates(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_it_accepts_a_leap_day_only_in_a_leap_year():
    assert PartialDate.parse("1940-02-29").day == 29
    with pytest.raises(ValueError):
        PartialDate.parse("1900-02-29")


@pytest.mark.parametrize("text", ["1879", "1938-02", "1940-08-21", "1906~", "-0044"])
def test_isoformat_round_trips(text):
    assert PartialDate.parse(text).isoformat() == text


def test_precision_is_what_the_data_has():
    assert PartialDate(1940).precision == YEAR
    assert PartialDate(1940, 8).precision == MONTH
    assert PartialDate(1940, 8, 20).precision == DAY


def test_truncate_never_adds_precision():
    assert PartialDate(1940, 8, 20).truncate(YEAR) == PartialDate(1940)
    assert PartialDate(1940).truncate(DAY) == PartialDate(1940)


def test_sort_key_orders_by_year_then_month_then_day_with_unknowns_first():
    dates = [
        PartialDate(1940, 8, 21),
        PartialDate(1940),
        PartialDate(1940, 8),
        PartialDate(-44, 3, 15),
        PartialDate(1879, 11, 7),
        PartialDate(-43),
    ]
    ordered = sorted(dates, key=lambda d: d.sort_key)
    assert [d.isoformat() for d in ordered] == [
        "-0044-03-15",
        "-0043",
        "1879-11-07",
        "1940",
        "1940-08",
        "1940-08-21",
    ]


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        (PartialDate(1940, 8, 20), "20 August 1940"),
        (PartialDate(1938, 2), "February 1938"),
        (PartialDate(1879), "1879"),
        (PartialDate(1906, circa=True), "c. 1906"),
        (PartialDate(-44, 3, 15), "15 March 44 BC"),
    ],
)
def test_dates_are_shown_as_a_historian_writes_them(date, shown):
    assert format_date(date) == shown
    assert str(date) == shown


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("1936", "1938", "1936–1938"),
        ("1937-04-10", "1937-04-17", "10–17 April 1937"),
        ("1903-07-30", "1903-08-23", "30 July – 23 August 1903"),
        ("1936-08", "1938-03", "August 1936 – March 1938"),
        ("1923-09", "1923-12", "September–December 1923"),
        ("1917", None, "1917"),
    ],
)
def test_ranges_are_shown_compactly(start, end, shown):
    end_date = PartialDate.parse(end) if end else None
    assert format_range(PartialDate.parse(start), end_date) == shown
