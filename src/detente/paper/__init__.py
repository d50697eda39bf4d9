"""The paper room: printed ballots, rating sheets and decision forms, and their way back into
the record.

No other package imports it: its commands, forms and documents are reached through its plugin.
"""

__all__: list[str] = []
