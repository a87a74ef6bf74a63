export { actorColumns, staffActor, type CardActor } from "@/lib/card-events/actor";
