// GET /api/wallet/v1/devices/{device}/registrations/{passType}?passesUpdatedSince=<tag> — serials of the device's passes changed since the tag
import { listUpdatedSerials, parseSinceTag } from "@/lib/wallet/service";
import { status, walletRoute } from "@/lib/wallet/route";

type Params = { deviceLibraryIdentifier: string; passTypeIdentifier: string };

export const GET = walletRoute<Params>(async (db, request, p) => {
  const since = parseSinceTag(new URL(request.url).searchParams.get("passesUpdatedSince"));
  const found = await listUpdatedSerials(db, p.deviceLibraryIdentifier, p.passTypeIdentifier, since);
  return found ? Response.json(found) : status(204);
});
