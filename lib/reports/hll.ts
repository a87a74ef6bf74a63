import { sql, type SQL } from "drizzle-orm";

/**
 * A HyperLogLog sketch of distinct cards, written in SQL so the fold, the rebuild and the bench's
 * seed hash a card the same way. Card ids are random (v4) UUIDs, so their own bits serve as the hash:
 * the first 10 bits pick one of 1024 registers, the next 32 give the rank (position of the first 1).
 */
export const HLL_REGISTERS = 1024;

export const hllIdx = (uuid: SQL): SQL => sql`(('x' || substr((${uuid})::text, 1, 3))::bit(12)::int >> 2)::smallint`;

export const hllRho = (uuid: SQL): SQL =>
  sql`(case when position('1' in (('x' || substr((${uuid})::text, 4, 5) || substr((${uuid})::text, 10, 3))::bit(32))::text) = 0 then 33
    else position('1' in (('x' || substr((${uuid})::text, 4, 5) || substr((${uuid})::text, 10, 3))::bit(32))::text) end)::smallint`;

/** The estimate from a sketch's registers (missing registers are 0), with the small-range (linear counting) correction. */
export function hllEstimate(registers: { idx: number; rho: number }[]): number {
  const m = HLL_REGISTERS;
  const max = new Array<number>(m).fill(0);
  for (const r of registers) max[r.idx] = Math.max(max[r.idx], r.rho);
  let sum = 0;
  let zeros = 0;
  for (const v of max) {
    sum += 2 ** -v;
    if (v === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}
