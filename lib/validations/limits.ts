/**
 * The limits of a card's values, once: the cabinet's forms, the REST API and the CSV import all read
 * them from here, so a value one surface accepts is never refused by another.
 */

/** Well under the int4 column's 2,147,483,647 (points or minor units), so a later accrual cannot overflow it. */
export const BALANCE_MAX = 2_000_000_000;
export const DISCOUNT_MAX = 100;
/** Characters in one custom value (a tier, a note shown on the pass). */
export const CUSTOM_VALUE_MAX = 200;
/** A merchant's own card number: letters, digits and dashes, 4–32 of them (stored upper-case). */
export const OWN_NUMBER_PATTERN = /^[A-Z0-9-]{4,32}$/i;
