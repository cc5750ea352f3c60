"""The SQL of one dot placed or taken back, without Django: ``services._change_dot`` runs it,
and so does the benchmark's floor (``bench/floor.py``), so that the floor does exactly the
database work of a click. Placeholders are ``%s`` (psycopg and Django's cursor; the floor
turns them into ``?`` for sqlite3).
"""

from __future__ import annotations

# The voter, locked, with their round and whether the card is part of that round.
VOTER = """
SELECT v.used, v.budget, v.chain_head, v.events, v.revoked_at, v.pseudonym, v.code,
       r.id, r.state, r.cap_per_card,
       (SELECT 1 FROM processes_card c JOIN processes_themefield t ON t.id = c.theme_field_id
         WHERE c.id = %s AND t.process_id = r.process_id
           AND (r.theme_field_id IS NULL OR c.theme_field_id = r.theme_field_id)
           AND (NOT EXISTS (SELECT 1 FROM voting_votinground_cards s WHERE s.votinground_id = r.id)
                OR EXISTS (SELECT 1 FROM voting_votinground_cards s
                            WHERE s.votinground_id = r.id AND s.card_id = c.id))) AS card_ok
  FROM voting_voter v JOIN voting_votinground r ON r.id = v.voting_round_id
 WHERE v.id = %s"""  # parameters: card, voter
LOCK_POSTGRES = " FOR UPDATE OF v FOR KEY SHARE OF r"  # SQLite: BEGIN IMMEDIATE instead

ADD = (  # parameters: voter, card; RETURNING nothing when the cap is reached
    "INSERT INTO voting_ballot (voter_id, card_id, dots) VALUES (%s, %s, 1)"
    " ON CONFLICT (voter_id, card_id) DO UPDATE SET dots = voting_ballot.dots + 1"
    " RETURNING dots"
)
ADD_UNDER_CAP = (  # parameters: voter, card, cap
    "INSERT INTO voting_ballot (voter_id, card_id, dots) VALUES (%s, %s, 1)"
    " ON CONFLICT (voter_id, card_id) DO UPDATE SET dots = voting_ballot.dots + 1"
    " WHERE voting_ballot.dots < %s RETURNING dots"
)
TAKE_BACK = (  # parameters: voter, card
    "UPDATE voting_ballot SET dots = dots - 1"
    " WHERE voter_id = %s AND card_id = %s AND dots > 0 RETURNING dots"
)
BUDGET = (  # parameters: delta, sequence, hash, voter, events, delta, delta
    "UPDATE voting_voter SET used = used + %s, events = %s, chain_head = %s"
    " WHERE id = %s AND events = %s AND used + %s >= 0 AND used + %s <= budget"
)
EVENT = (  # parameters: round, voter, card, delta, source, actor, created, sequence,
    # previous hash, hash, key id, MAC
    "INSERT INTO voting_dotevent (voting_round_id, voter_id, card_id, delta, source, actor_id,"
    " created_at, sequence, previous_hash, hash, key_id, mac)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
