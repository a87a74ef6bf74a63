-- Every event written (a purchase's, each card's of a campaign) kept five index entries; this one served
-- no query of its own. Reads by merchant alone (the data-rights export, a merchant's report rebuild) use
-- the feed's or the reports' index, which also start with the merchant.
DROP INDEX "card_events_merchant_created_idx";
