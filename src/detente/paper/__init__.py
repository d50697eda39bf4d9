"""The paper room: printed ballots, rating sheets and decision forms, and their way back into
the record."""
