import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { CashierScreen } from "@/components/till/cashier-screen";
import { getDb } from "@/db";
import { can, maySkipConfirmation } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { recentAtTill } from "@/lib/till/staff";
import { getTillOrThrow, listTills } from "@/lib/till/tills";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("till") };
}

/** The cashier screen: `?till=` is the till chosen on it (remembered by the browser). */
export default async function TillPage({ searchParams }: { searchParams: Promise<{ till?: string }> }) {
  const ctx = await requireStaff("till.use");
  const db = getDb();
  const tills = await listTills(db, ctx.merchantId);
  const { till: wanted } = await searchParams;
  const till = wanted ? await getTillOrThrow(db, ctx.merchantId, wanted).catch(() => null) : null;
  const recent = await recentAtTill(db, ctx.merchantId, { tillId: till?.id ?? null, userId: ctx.userId });
  return (
    <CashierScreen
      tills={tills.map((x) => ({ id: x.id, name: x.name }))}
      tillId={till?.id ?? ""}
      currency={ctx.merchant.currency}
      may={{ skip: maySkipConfirmation(ctx.user), reverse: can(ctx.role, "points.manage"), issue: can(ctx.role, "cards.issue") }}
      recent={recent.map(({ transaction: x, number }) => ({
        id: x.id,
        type: x.type,
        number,
        points: x.points,
        amount: x.amount,
        reversesId: x.reversesId,
        createdAt: x.createdAt.toISOString(),
      }))}
    />
  );
}
