// POST /api/wallet/v1/devices/{device}/registrations/{passType}/{serial} — a device registers for a pass's updates
// DELETE (same path) — it no longer wants them
import { appleModel, authenticatePass, registerDevice, unregisterDevice } from "@/lib/wallet/service";
import { status, walletRoute } from "@/lib/wallet/route";

type Params = { deviceLibraryIdentifier: string; passTypeIdentifier: string; serialNumber: string };

export const POST = walletRoute<Params>(async (db, request, p) => {
  const card = await authenticatePass(db, p.passTypeIdentifier, p.serialNumber, request.headers.get("authorization"));
  if (!card) return status(401);
  const body = (await request.json().catch(() => null)) as { pushToken?: unknown } | null;
  const pushToken = body?.pushToken;
  if (typeof pushToken !== "string" || !/^[0-9A-Fa-f]{1,200}$/.test(pushToken) || p.deviceLibraryIdentifier.length > 200) return status(400);
  const outcome = await registerDevice(db, card, {
    platform: "apple",
    deviceLibraryId: p.deviceLibraryIdentifier,
    passTypeId: p.passTypeIdentifier,
    pushToken,
    model: appleModel(request.headers.get("user-agent")),
  });
  return status(outcome === "created" ? 201 : 200);
});

export const DELETE = walletRoute<Params>(async (db, request, p) => {
  const card = await authenticatePass(db, p.passTypeIdentifier, p.serialNumber, request.headers.get("authorization"));
  if (!card) return status(401);
  await unregisterDevice(db, card, { platform: "apple", deviceLibraryId: p.deviceLibraryIdentifier, passTypeId: p.passTypeIdentifier });
  return status(200);
});
