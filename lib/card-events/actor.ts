/** Who made a change, as a card's history and the events feed show it. */
export type CardActor = { type: "staff"; userId: string } | { type: "api"; keyId: string } | { type: "device"; id?: string } | { type: "system" };

export const staffActor = (userId: string | null): CardActor => (userId ? { type: "staff", userId } : { type: "system" });

export function actorColumns(actor: CardActor): { actorType: string; actorId: string | null } {
  switch (actor.type) {
    case "staff":
      return { actorType: "staff", actorId: actor.userId };
    case "api":
      return { actorType: "api", actorId: actor.keyId };
    case "device":
      return { actorType: "device", actorId: actor.id ?? null };
    case "system":
      return { actorType: "system", actorId: null };
  }
}
