// GET /api/wallet/v1/devices/{device}/registrations/{passType}?passesUpdatedSince=<tag> — serials of the device's passes changed since the tag
import { answerSerials, toResponse } from "@/lib/wallet/answers";
import { walletRoute } from "@/lib/wallet/route";

type Params = { deviceLibraryIdentifier: string; passTypeIdentifier: string };

export const GET = walletRoute<Params>(async (db, request, p) =>
  toResponse(await answerSerials(db, p.deviceLibraryIdentifier, p.passTypeIdentifier, new URL(request.url).searchParams.get("passesUpdatedSince"))),
);
