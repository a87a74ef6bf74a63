import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { CardHistory } from "@/components/cards/card-history";
import { cardPreviewValues } from "@/components/cards/card-values";
import { CardSendPanel } from "@/components/cards/card-send-panel";
import { CardExpiryForm, CardHolderForm, CardValuesForm, MoveCardForm } from "@/components/cards/card-forms";
import { CardStateActions } from "@/components/cards/card-state-actions";
import { CardStatusBadge } from "@/components/cards/card-status-badge";
import { PointsSection } from "@/components/cards/points-section";
import { SkippedConfirmations } from "@/components/till/skipped-confirmations";
import { cardBarcodeSlots } from "@/components/cards/barcode-slots";
import { TemplatePreview } from "@/components/templates/template-preview";
import { definitionAsShown } from "@/lib/push-events";
import { buttonClass } from "@/components/ui/button";
import { CardSource } from "@/components/forms/card-source";
import { DataRightsPanel } from "@/components/customers/data-rights-panel";
import { Card, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { CARD_EVENTS_PAGE_SIZE, getCardOrThrow, listCardDevices, listCardEvents } from "@/lib/cards";
import { customKeysOf } from "@/lib/cards/issue";
import { listCardPoints, parsePointsCursor } from "@/lib/cards/points";
import { cardExpiring, levelOf, stampsOf } from "@/lib/ledger";
import { isMoneyKind } from "@/lib/format/money";
import { listLocations } from "@/lib/locations";
import { NotFoundError } from "@/lib/errors";
import { listTemplates } from "@/lib/templates";
import { KIND_MAPPING, pick, programOf, stampProgramOf } from "@/lib/templates/definition";
import { page as pageParam } from "@/lib/validations/common";
import { qrSvg } from "@/lib/qr";
import { cardLinks } from "@/lib/wallet/pass";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("cards.page"))("title") };
}

const SAVED = ["values", "expiry", "customer", "moved", "block", "unblock", "deactivate", "activate"];

export default async function CardPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ events?: string; saved?: string; issued?: string; tx?: string }>;
}) {
  const ctx = await requireStaff("cards.view");
  const { id } = await params;
  const flash = await searchParams;
  const t = await getTranslations("cards.page");
  const format = await getFormatter();
  const locale = await getLocale();
  const db = getDb();
  const detail = await getCardOrThrow(db, ctx.merchantId, id).catch((err) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const { card, customer, template, definition } = detail;
  const eventsPage = pageParam().parse(flash.events);
  // Points are the ledger's (lib/ledger); a gift certificate's balance is money, with its own screens later.
  const showPoints = !isMoneyKind(template.kind);
  const pointsAfter = parsePointsCursor(flash.tx);
  const level = levelOf(programOf(template.kind, definition), card);
  const stampProgram = stampProgramOf(template.kind, definition);
  const [events, devices, templates, points, places, expiring] = await Promise.all([
    listCardEvents(db, ctx.merchantId, card.id, { page: eventsPage, pageSize: CARD_EVENTS_PAGE_SIZE }),
    listCardDevices(db, ctx.merchantId, card.id),
    listTemplates(db, ctx.merchantId, { page: 1, pageSize: 200, archived: false }),
    showPoints ? listCardPoints(db, ctx.merchantId, card.id, pointsAfter) : null,
    showPoints && can(ctx.role, "points.post") ? listLocations(db, ctx.merchantId, { page: 1, pageSize: 500 }) : null,
    showPoints ? cardExpiring(db, ctx.merchantId, card.id) : [],
  ]);
  const manage = can(ctx.role, "cards.manage");
  const links = cardLinks(card);
  const values = cardPreviewValues(format, {
    card,
    holderName: customer?.name ?? "",
    kind: template.kind,
    currency: ctx.merchant.currency,
    locale,
    definition,
  });
  const customFields = customKeysOf(definition).map((key) => {
    const field = Object.values(definition.fields)
      .flat()
      .find((f) => f.source === "custom" && f.customKey === key);
    return { key, label: field ? pick(field.label, locale) : key };
  });
  const moveTargets = templates.rows
    .filter(
      ({ template: x }) =>
        x.id !== template.id &&
        KIND_MAPPING[x.kind].apple === KIND_MAPPING[template.kind].apple &&
        KIND_MAPPING[x.kind].google === KIND_MAPPING[template.kind].google,
    )
    .map(({ template: x }) => ({ id: x.id, name: x.name }));
  const notice = flash.issued ? t("issuedNotice") : flash.saved && SAVED.includes(flash.saved) ? t(`saved.${flash.saved}`) : null;
  const section = "flex flex-col gap-4 p-4 sm:p-5";
  const heading = "text-base font-semibold text-slate-900";

  return (
    <>
      <PageHeader
        title={t("heading", { number: card.number })}
        description={`${template.name} · ${customer?.name || customer?.phone || t("noHolder")}`}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <CardStatusBadge card={card} />
            <a href={`/api/cards/${card.id}/pass`} download className={buttonClass("secondary", "min-h-9 px-3")} data-testid="download-pass">
              {t("downloadPass")}
            </a>
            <a href={`/c/${card.linkToken}`} target="_blank" rel="noreferrer" className={buttonClass("secondary", "min-h-9 px-3")} data-testid="public-link">
              {t("publicPage")}
            </a>
          </div>
        }
      />
      {notice && (
        <p role="status" className="mb-4 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {notice}
        </p>
      )}
      <Card className="mb-6 p-4 sm:p-5">
        <h2 className={`${heading} mb-4`}>{t("dynamicView")}</h2>
        <TemplatePreview
          definition={await definitionAsShown(db, ctx.merchantId, card, definition)}
          kind={template.kind}
          merchantName={ctx.merchant.name}
          card={values}
          barcodes={await cardBarcodeSlots(definition, card)}
        />
      </Card>
      {points && (
        <Card className="mb-6 scroll-mt-20" id="points">
          <h2 className={`${heading} border-b border-slate-100 px-4 py-3`}>{(await getTranslations("points"))("title")}</h2>
          <PointsSection
            card={card}
            rows={points.rows}
            level={level}
            expiring={expiring}
            stamps={stampProgram && stampsOf(stampProgram, card.balance)}
            next={points.next}
            paged={pointsAfter !== undefined}
            currency={ctx.merchant.currency}
            locations={places?.rows.map((l) => ({ id: l.id, name: l.name })) ?? []}
            canPost={can(ctx.role, "points.post")}
            canManage={can(ctx.role, "points.manage")}
          />
          <SkippedConfirmations merchantId={ctx.merchantId} cardId={card.id} />
        </Card>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="flex flex-col gap-6">
          <Card className={section}>
            <h2 className={heading}>{t("values")}</h2>
            {manage ? (
              <CardValuesForm
                id={card.id}
                expectedTag={card.updateTag}
                balanceText={values.balance}
                balanceHint={t(showPoints ? "balanceByLedger" : "balanceByLedgerMoney")}
                discount={card.discount}
                custom={card.custom}
                fields={customFields}
              />
            ) : (
              <dl className="grid grid-cols-2 gap-3 text-sm">
                <dt className="text-slate-500">{t("balance")}</dt>
                <dd data-testid="card-balance">{values.balance}</dd>
                <dt className="text-slate-500">{t("discount")}</dt>
                <dd>{values.discount}</dd>
                {customFields.map((f) => [
                  <dt key={`${f.key}-l`} className="text-slate-500">
                    {f.label}
                  </dt>,
                  <dd key={`${f.key}-v`}>{card.custom[f.key] || "—"}</dd>,
                ])}
              </dl>
            )}
            <div className="border-t border-slate-100 pt-4">
              {manage ? (
                <CardExpiryForm id={card.id} expectedTag={card.updateTag} expiresAt={card.expiresAt?.toISOString().slice(0, 10) ?? null} />
              ) : (
                <p className="text-sm">
                  {t("expiresAt")}: {values.expiryDate}
                </p>
              )}
            </div>
          </Card>
        </div>
        <div className="flex flex-col gap-6">
          {can(ctx.role, "cards.issue") && (
            <Card className={section}>
              <h2 className={heading}>{t("send")}</h2>
              <CardSendPanel
                id={card.id}
                phone={customer?.phone ?? null}
                email={customer?.email ?? null}
                link={links.page}
                qrSvg={await qrSvg(links.page)}
                blocked={card.blockReason !== null}
              />
            </Card>
          )}
          <Card className={section}>
            <h2 className={heading}>{t("holder")}</h2>
            {manage ? (
              <CardHolderForm
                id={card.id}
                customer={{ phone: customer?.phone ?? "", name: customer?.name ?? "", email: customer?.email ?? "", birthday: customer?.birthday ?? "" }}
              />
            ) : (
              <p className="text-sm">{[customer?.name, customer?.phone, customer?.email].filter(Boolean).join(" · ") || t("noHolder")}</p>
            )}
            <CardSource merchantId={ctx.merchantId} sourceId={card.sourceId} />
            {customer && can(ctx.role, "customers.dataRights") && <DataRightsPanel customerId={customer.id} cardId={card.id} />}
          </Card>
          {manage && (
            <Card className={section}>
              <h2 className={heading}>{t("manage")}</h2>
              <MoveCardForm id={card.id} templates={moveTargets} />
              <div className="border-t border-slate-100 pt-4">
                <CardStateActions id={card.id} number={card.number} blockReason={card.blockReason} />
              </div>
            </Card>
          )}
        </div>
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Card>
          <h2 className={`${heading} border-b border-slate-100 px-4 py-3`}>{t("history")}</h2>
          <CardHistory rows={events.rows} currency={ctx.merchant.currency} />
          <Pagination page={eventsPage} pageSize={CARD_EVENTS_PAGE_SIZE} total={events.total} basePath={`/cards/${card.id}`} query={{}} param="events" />
        </Card>
        <Card>
          <h2 className={`${heading} border-b border-slate-100 px-4 py-3`}>{t("devices")}</h2>
          {devices.length ? (
            <ul className="divide-y divide-slate-100" data-testid="card-devices">
              {devices.map((d, i) => (
                <li key={i} className="px-4 py-3 text-sm">
                  <p className="font-medium">{d.platform === "apple" ? `Apple Wallet · ${d.model}` : `Google Wallet · ${d.model}`}</p>
                  <p className="text-xs text-slate-500">{t("registeredAt", { date: format.dateTime(d.registeredAt, "moment") })}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="px-4 py-6 text-center text-sm text-slate-500">{t("noDevices")}</p>
          )}
        </Card>
      </div>
    </>
  );
}
