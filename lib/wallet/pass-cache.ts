/**
 * Built passes kept in memory by card, update tag and signing certificate, so a wallet asking again
 * for an unchanged card gets the same bytes without a rebuild. Bounded by total size; the oldest
 * entries go first. Each web instance keeps its own (a pass is cheap to rebuild once).
 */
export class PassCache {
  private entries = new Map<string, Buffer>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-inserting moves it to the newest end of the Map's order.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Buffer): void {
    if (value.length > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.length;
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.bytes += value.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length;
    }
  }

  /** Drops every older build of a card when a newer one is stored. */
  forgetCard(cardId: string): void {
    for (const [k, v] of this.entries) {
      if (k.startsWith(`${cardId}:`)) {
        this.entries.delete(k);
        this.bytes -= v.length;
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
