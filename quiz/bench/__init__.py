"""The load benchmark: `make bench` (python -m quiz.bench --help).

Not part of the test suite: it starts the production server on loopback on a
scratch database, plays a school's 9:00 quiz against it and checks the database.
"""
