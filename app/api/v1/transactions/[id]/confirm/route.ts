// POST /api/v1/transactions/{id}/confirm — the customer's code completes a pending transaction
import { presentTransaction } from "@/lib/api/ledger";
import { tillContextOf } from "@/lib/api/till";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { confirmTransaction } from "@/lib/till/confirm";
import { postAtTill } from "@/lib/till/post";
import { confirmCodeSchema } from "@/lib/validations/till";

type Params = { id: string };

export const POST = withApiKey<Params>("pos:write", async (ctx, request, { id }) => {
  const { code } = confirmCodeSchema.parse((await readJson(request)).value);
  const till = tillContextOf(ctx, request);
  const posted = await confirmTransaction(ctx.db, till, id, code, async (input, confirmedId) => (await postAtTill(ctx.db, till, input, confirmedId)).posted!);
  return Response.json(presentTransaction(posted.transaction));
});
