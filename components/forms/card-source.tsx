import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { getSourceOrThrow } from "@/lib/forms/sources";

/** On a card's page: the registration group or company whose link issued it, with its tag. */
export async function CardSource({ merchantId, sourceId }: { merchantId: string; sourceId: string | null }) {
  if (!sourceId) return null;
  const found = await getSourceOrThrow(getDb(), merchantId, sourceId).catch(() => null);
  if (!found) return null;
  const t = await getTranslations("regGroups");
  const { source } = found;
  return (
    <p className="border-t border-slate-100 pt-3 text-sm text-slate-600" data-testid="card-source">
      {source.kind === "company" ? t("company") : t("group")}:{" "}
      <Link href={`/forms/sources/${source.id}`} className="font-medium text-brand-700 hover:underline">
        {source.name}
      </Link>
      {source.tag && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">#{source.tag}</span>}
    </p>
  );
}
