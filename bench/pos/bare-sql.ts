// The statements the app sends for a till's lookup and purchase, word for word as drizzle writes them
// (bench/pos.ts captures the app's and checks they are these, so the bare handler cannot drift from
// the app unnoticed). Whitespace is not significant.

const CARD_COLUMNS = `"cards"."id", "cards"."merchant_id", "cards"."template_id", "cards"."customer_id", "cards"."number", "cards"."serial_number", "cards"."authentication_token", "cards"."link_token", "cards"."status", "cards"."block_reason", "cards"."balance", "cards"."discount", "cards"."purchase_total", "cards"."level_floor", "cards"."custom", "cards"."news", "cards"."promotion_id", "cards"."expires_at", "cards"."source_id", "cards"."first_installed_at", "cards"."update_tag", "cards"."created_at", "cards"."updated_at"`;
const TEMPLATE_JOINS = `inner join "card_templates" on ("card_templates"."id" = "cards"."template_id" and "card_templates"."merchant_id" = $N1) inner join "card_template_versions" on ("card_template_versions"."template_id" = "card_templates"."id" and "card_template_versions"."version" = "card_templates"."current_version" and "card_template_versions"."merchant_id" = $N2)`;
const joins = (a: number) => TEMPLATE_JOINS.replace("$N1", `$${a}`).replace("$N2", `$${a + 1}`);

/** withApiKey: the live key a request presents, with its merchant ($1 the key's SHA-256). */
export const KEY_SQL = `select "api_keys"."id", "api_keys"."merchant_id", "api_keys"."name", "api_keys"."prefix", "api_keys"."key_hash", "api_keys"."scopes", "api_keys"."created_by", "api_keys"."last_used_at", "api_keys"."revoked_at", "api_keys"."created_at", "merchants"."id", "merchants"."name", "merchants"."slug", "merchants"."legal_name", "merchants"."tax_id", "merchants"."legal_address", "merchants"."contact_email", "merchants"."contact_phone", "merchants"."logo_file_id", "merchants"."time_zone", "merchants"."currency", "merchants"."country", "merchants"."enrolment_enabled", "merchants"."enrolment_template_id", "merchants"."require_two_factor", "merchants"."created_at", "merchants"."updated_at", "tills"."id", "tills"."merchant_id", "tills"."name", "tills"."location_id", "tills"."api_key_id", "tills"."created_at", "tills"."updated_at", "till_settings"."merchant_id", "till_settings"."redeem_per_card_per_day", "till_settings"."redeem_per_till_per_hour", "till_settings"."phone_without_pin", "till_settings"."confirm_channel", "till_settings"."issue_template_id", "till_settings"."updated_at" from "api_keys" inner join "merchants" on "merchants"."id" = "api_keys"."merchant_id" left join "tills" on ("tills"."api_key_id" = "api_keys"."id" and "tills"."merchant_id" = "api_keys"."merchant_id") left join "till_settings" on "till_settings"."merchant_id" = "api_keys"."merchant_id" where ("api_keys"."key_hash" = $1 and "api_keys"."revoked_at" is null)`;

/**
 * withApiKey's rate limit: a block of the key's requests in this minute's window, claimed once per
 * block (lib/api/rate-limit; $1 key id, $2 window start, then the block wanted and the limit, four times).
 * Not in a steady request's statements: it runs once a block of a key's requests (RATE_BLOCK_MAX of them at most).
 */
export const RATE_SQL = `insert into "api_rate_limits" ("key_id", "window_start", "count", "granted") values ($1, $2, least($3::int, $4::int), least($5::int, $6::int)) on conflict ("key_id","window_start") do update set "count" = "api_rate_limits"."count" + least($7::int, greatest($8::int - "api_rate_limits"."count", 0)), "granted" = least($9::int, greatest($10::int - "api_rate_limits"."count", 0)) returning "count", "granted"`;

/** findCardByScan ($1, $2, $3 merchant; $4 number, $5 serial; $6 limit). */
export const SCAN_SQL = `select ${CARD_COLUMNS}, "card_template_versions"."definition" from "cards" ${joins(1)} where ("cards"."merchant_id" = $3 and ("cards"."number" = $4 or "cards"."serial_number" = $5)) limit $6`;

/** findCardDetail by id ($1–$4 merchant, $5 card). */
export const DETAIL_SQL = `select ${CARD_COLUMNS}, "customers"."id", "customers"."merchant_id", "customers"."phone", "customers"."email", "customers"."name", "customers"."birthday", "customers"."marketing_consent", "customers"."marketing_consent_text", "customers"."marketing_consent_at", "customers"."erased_phone_hash", "customers"."created_at", "customers"."updated_at", "card_templates"."id", "card_templates"."merchant_id", "card_templates"."name", "card_templates"."kind", "card_templates"."current_version", "card_templates"."archived_at", "card_templates"."created_at", "card_templates"."updated_at", "card_template_versions"."definition" from "cards" left join "customers" on ("customers"."id" = "cards"."customer_id" and "customers"."merchant_id" = $1) ${joins(2)} where ("cards"."merchant_id" = $4 and "cards"."id" = $5)`;

const TRANSACTION_COLUMNS = `"id", "merchant_id", "card_id", "type", "status", "points", "accrued", "redeemed", "amount", "shortfall", "balance_after", "receipt", "location_id", "reason", "till_id", "actor_type", "actor_id", "idempotency_key", "request_hash", "reverses_id", "created_at"`;

/** lookupCard: what the card's points come to when ($1 card, $2 0, $3 how many dates). */
export const EXPIRING_SQL = `select "expires_at", sum("remaining") from "ledger_movements" where ("ledger_movements"."card_id" = $1 and "ledger_movements"."remaining" > $2 and "ledger_movements"."expires_at" is not null) group by "ledger_movements"."expires_at" order by "ledger_movements"."expires_at" asc limit $3`;

/** The idempotency key's transaction, if any ($1 merchant, $2 key). */
export const FIND_KEY_SQL = `select ${TRANSACTION_COLUMNS} from "ledger_transactions" where ("ledger_transactions"."merchant_id" = $1 and "ledger_transactions"."idempotency_key" = $2)`;

/** lockCard ($1, $2 merchant; $3 card; $4 merchant). */
export const LOCK_SQL = `select ${CARD_COLUMNS}, "card_templates"."kind", "card_template_versions"."definition", ("card_templates"."kind" = 'coupon' and exists (select 1 from certificate_codes cc where cc.card_id = "cards"."id" and cc.merchant_id = "cards"."merchant_id")) from "cards" ${joins(1)} where ("cards"."id" = $3 and "cards"."merchant_id" = $4) for update of "cards"`;

/** The card's new balance, its level's discount (null: unchanged), purchase total and update tag ($1 balance, $2 discount, $3 purchase total, $4 card, $5 merchant). */
export const UPDATE_SQL = `update "cards" set "balance" = $1::int, "discount" = coalesce($2::int, "cards"."discount"), "purchase_total" = $3::bigint, "update_tag" = greatest((floor("cards"."update_tag" / 1000) + 1) * 1000, (extract(epoch from clock_timestamp()) * 1000)::bigint), "updated_at" = now() where ("cards"."id" = $4 and "cards"."merchant_id" = $5)`;

export const INSERT_TRANSACTION_SQL = `insert into "ledger_transactions" (${TRANSACTION_COLUMNS}) values (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, default, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, default) returning ${TRANSACTION_COLUMNS}`;

const MOVEMENT_COLUMNS = `"id", "transaction_id", "card_id", "points", "balance_after", "remaining", "expires_at", "created_at"`;
/** A purchase's two movements: the redemption, then the accrual, a lot with what is left of it and when it expires. */
export const INSERT_MOVEMENTS_SQL = `insert into "ledger_movements" (${MOVEMENT_COLUMNS}) values (default, $1, $2, $3, $4, default, default, default), (default, $5, $6, $7, $8, $9, $10, default)`;
/** A redemption's one movement. */
export const INSERT_MOVEMENT_SQL = `insert into "ledger_movements" (${MOVEMENT_COLUMNS}) values (default, $1, $2, $3, $4, default, default, default)`;

/** Spends the redeemed points from the card's lots, soonest-expiring first ($1 first lot's transaction, $2 own transaction, $3 card, $4–$6 points). */
export const SPEND_LOTS_SQL = `with open as ( select id, remaining, sum(remaining) over ( order by (transaction_id = $1::uuid) is true desc, transaction_id = $2::uuid, expires_at asc nulls last, created_at, id rows between unbounded preceding and current row ) - remaining as before from ledger_movements where card_id = $3::uuid and remaining > 0 ) update ledger_movements m set remaining = m.remaining - least(o.remaining, $4::int - o.before) from open o where m.id = o.id and o.before < $5::int returning least(o.remaining, $6::int - o.before)::int as taken`;

/**
 * The events door with its followers riding along, one statement ($1 merchant, $2 actor type, $3 actor id,
 * $4–$7 the events' ids, cards, types and where each one's data is in $8, the distinct data as a JSON array;
 * the wallet follower: $9 coalescing seconds, $10 merchant, $11 the card in a JSON array; the webhooks
 * probe: $12 merchant; the reports inbox: $13 the events' ids as an array literal; the referrals: $14 merchant,
 * $15 cards installed, $16 cards used).
 */
export const EVENTS_SQL = `with e as (insert into "card_events" (id, merchant_id, card_id, type, data, actor_type, actor_id) select r.id, $1::uuid, r.card_id, r.type, d.data, $2, $3 from unnest($4::uuid[], $5::uuid[], $6::text[], $7::int[]) with ordinality as r(id, card_id, type, at, n) join jsonb_array_elements($8::jsonb) with ordinality as d(data, at) on d.at = r.at order by r.n returning 1), f0 as ( insert into wallet_updates (card_id, merchant_id, due_at, changed_at) select c.id, c.merchant_id, now() + make_interval(secs => $9), clock_timestamp() from cards c where c.merchant_id = $10::uuid and c.id in (select value::uuid from jsonb_array_elements_text($11::jsonb)) and exists (select 1 from wallet_registrations r where r.card_id = c.id) on conflict (card_id) do update set changed_at = clock_timestamp(), revision = wallet_updates.revision + 1 returning card_id), f1 as (select "webhook_endpoints"."events" as events from "webhook_endpoints" where "webhook_endpoints"."merchant_id" = $12::uuid and "webhook_endpoints"."enabled"), f2 as (insert into report_inbox (event_id) select unnest($13::uuid[]) returning event_id), f3 as (update referrals set due_at = now() where merchant_id = $14::uuid and due_at is null and rewarded_at is null and ((reward_on = 'installed' and friend_card_id = any($15::uuid[])) or friend_card_id = any($16::uuid[])) returning id) select (select coalesce(json_agg(f0), '[]'::json) from f0) as f0, (select coalesce(json_agg(f1), '[]'::json) from f1) as f1, (select coalesce(json_agg(f2), '[]'::json) from f2) as f2, (select coalesce(json_agg(f3), '[]'::json) from f3) as f3`;

export const BARE_LOOKUP_SQL = [KEY_SQL, SCAN_SQL, DETAIL_SQL, EXPIRING_SQL];
export const BARE_PURCHASE_SQL = [
  KEY_SQL,
  "begin",
  FIND_KEY_SQL,
  LOCK_SQL,
  UPDATE_SQL,
  INSERT_TRANSACTION_SQL,
  INSERT_MOVEMENTS_SQL,
  SPEND_LOTS_SQL,
  EVENTS_SQL,
  "commit",
];

/** A statement as compared: whitespace folded. */
export const normalise = (s: string) => s.replace(/\s+/g, " ").trim();
/** A statement as listed in the report: its start. */
export const shapeOf = (s: string) => normalise(s).slice(0, 58);
