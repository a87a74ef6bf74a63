import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { countSkippedConfirmations } from "@/lib/till/staff";

/** The card page's count of spendings completed without the customer's code (each is in the history with its reason). */
export async function SkippedConfirmations({ merchantId, cardId }: { merchantId: string; cardId: string }) {
  const n = await countSkippedConfirmations(getDb(), merchantId, cardId);
  if (!n) return null;
  const t = await getTranslations("till.card");
  return (
    <p className="border-t border-slate-100 px-4 py-3 text-sm text-amber-800" data-testid="skipped-confirmations">
      {t("skipped", { count: n })}
    </p>
  );
}
