"""`make bench-live`: a live game for a whole year group, on loopback (see __main__)."""
