-- Room in every page of cards for a row's next version: an update that changes no indexed column (a
-- campaign's message, lib/push-events/run.ts) then stays in its page (HOT) instead of adding the card to
-- each of the table's indexes again. Pages written from now on keep it; older ones as they are rewritten.
ALTER TABLE "cards" SET (fillfactor = 85);
