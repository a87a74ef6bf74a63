ALTER TABLE "ledger_movements" DROP CONSTRAINT "ledger_movements_card_id_cards_id_fk";
--> statement-breakpoint
ALTER TABLE "ledger_transactions" DROP CONSTRAINT "ledger_transactions_card_id_cards_id_fk";
