-- A decision names the decider's role (issue 9): a flag acknowledged by a
-- shopkeeper stays open for the store's owner to review (awaitsDecision in
-- shared/src/domain/decisions.ts). Decisions taken before this migration get
-- their decider's role as it is now; the rows' txid moves, so devices pull them again.
UPDATE operations o
   SET resolution = o.resolution || jsonb_build_object('role', u.role)
  FROM users u
 WHERE o.resolution IS NOT NULL
   AND NOT o.resolution ? 'role'
   AND u.id = (o.resolution->>'userId')::uuid;
