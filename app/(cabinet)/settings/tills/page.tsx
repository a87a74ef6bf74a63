import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { StockCreateForm, TillCreateForm, TillRulesForm } from "@/components/till/till-settings-forms";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { getDb } from "@/db";
import { listLocations } from "@/db/queries/locations";
import { listTemplatesForTill } from "@/lib/till/issue";
import { requireStaff } from "@/lib/auth/session";
import { SUGGESTED_LIMITS } from "@/lib/till/limits";
import { listStock, stockNumber } from "@/lib/till/stock";
import { DEFAULT_TILL_RULES, getTillRules, listTills } from "@/lib/till/tills";
import { deleteStockAction, deleteTillAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("tills") };
}

export default async function TillsPage() {
  const ctx = await requireStaff("tills.manage");
  const t = await getTranslations("till.settings");
  const ts = await getTranslations("till.stock");
  const db = getDb();
  const [tills, rules, stock, places, templates] = await Promise.all([
    listTills(db, ctx.merchantId),
    getTillRules(db, ctx.merchantId),
    listStock(db, ctx.merchantId),
    listLocations(db, ctx.merchantId, { page: 1, pageSize: 200 }),
    listTemplatesForTill(db, ctx.merchantId),
  ]);
  const locationOptions = places.rows.map((l) => ({ value: l.id, label: l.name }));
  const templateOptions = templates.map((x) => ({ value: x.id, label: x.name }));
  return (
    <div>
      <PageHeader title={t("title")} description={t("subtitle")} />
      <div className="flex flex-col gap-6">
        <Card>
          {tills.length === 0 ? (
            <EmptyState icon="keys" title={t("empty")} text={t("emptyText")} />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="tills-table">
                <thead className="border-b border-slate-100 text-xs text-slate-500 uppercase">
                  <tr>
                    <th className="px-4 py-3">{t("name")}</th>
                    <th className="px-4 py-3">{t("location")}</th>
                    <th className="px-4 py-3">{t("key")}</th>
                    <th className="px-4 py-3">{t("scopes")}</th>
                    <th className="px-4 py-3" />
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {tills.map((till) => (
                    <tr key={till.id} data-testid="till-row">
                      <td className="px-4 py-3 font-medium">{till.name}</td>
                      <td className="px-4 py-3">{till.locationName ?? "—"}</td>
                      <td className="px-4 py-3 font-mono text-xs">
                        {till.keyPrefix ? `${till.keyPrefix}…` : "—"} {till.keyRevoked && <Badge>{t("revoked")}</Badge>}
                      </td>
                      <td className="px-4 py-3 font-mono text-xs">{till.scopes.join(", ")}</td>
                      <td className="px-4 py-3 text-right">
                        <ConfirmButton
                          action={deleteTillAction}
                          fields={{ id: till.id }}
                          label={t("delete")}
                          title={t("deleteTitle")}
                          text={t("deleteText", { name: till.name })}
                          confirmLabel={t("delete")}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        <TillCreateForm locations={locationOptions} />
        <TillRulesForm
          rules={rules ?? DEFAULT_TILL_RULES}
          templates={templateOptions}
          suggested={{ card: String(SUGGESTED_LIMITS.redeemPerCardPerDay), till: String(SUGGESTED_LIMITS.redeemPerTillPerHour) }}
        />
        <Card>
          <h2 className="border-b border-slate-100 px-4 py-3 font-semibold">{ts("title")}</h2>
          <p className="px-4 pt-3 text-sm text-slate-600">{ts("subtitle")}</p>
          {stock.length > 0 && (
            <ul className="divide-y divide-slate-100 px-4" data-testid="stock-list">
              {stock.map(({ range, templateName }) => (
                <li key={range.id} className="flex items-center justify-between gap-4 py-3 text-sm">
                  <span>
                    <span className="font-mono">
                      {stockNumber(range, range.fromNumber)} – {stockNumber(range, range.toNumber)}
                    </span>{" "}
                    · {templateName} · {ts("summary", { balance: range.balance, discount: range.discount })}
                  </span>
                  <ConfirmButton
                    action={deleteStockAction}
                    fields={{ id: range.id }}
                    label={ts("delete")}
                    title={ts("deleteTitle")}
                    text={ts("deleteText")}
                    confirmLabel={ts("delete")}
                  />
                </li>
              ))}
            </ul>
          )}
          <StockCreateForm templates={templateOptions} />
        </Card>
      </div>
    </div>
  );
}
