-- app_meta keeps only facts (seeded_at …): the two hand-made queues it held are pg-boss queues now
-- (recompute-boards: the long boards after polls; backfill-history: the seed's older history).
DELETE FROM "app_meta" WHERE "key" IN ('slow_boards_pending', 'history_pending');
