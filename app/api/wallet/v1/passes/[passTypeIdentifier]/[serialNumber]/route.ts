// GET /api/wallet/v1/passes/{passType}/{serial} — the latest version of a pass (304 when unchanged)
import { answerLatestPass, toResponse } from "@/lib/wallet/answers";
import { walletRoute } from "@/lib/wallet/route";

type Params = { passTypeIdentifier: string; serialNumber: string };

export const GET = walletRoute<Params>(async (db, request, p) =>
  toResponse(await answerLatestPass(db, p.passTypeIdentifier, p.serialNumber, request.headers.get("authorization"), request.headers.get("if-modified-since"))),
);
