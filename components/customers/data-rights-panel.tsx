import { getTranslations } from "next-intl/server";
import { eraseCustomerAction } from "@/app/(cabinet)/cards/data-rights-actions";
import { buttonClass } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";

/** On a card's page: the holder's data — download everything held, or erase it after a confirmation. */
export async function DataRightsPanel({ customerId, cardId }: { customerId: string; cardId: string }) {
  const t = await getTranslations("dataRights");
  return (
    <div className="flex flex-col gap-2 border-t border-slate-100 pt-3" data-testid="data-rights">
      <p className="text-sm font-medium text-slate-700">{t("title")}</p>
      <div className="flex flex-wrap items-center gap-2">
        <a href={`/customers/${customerId}/export?format=json`} className={buttonClass("secondary", "min-h-9 px-3")} download>
          {t("exportJson")}
        </a>
        <a href={`/customers/${customerId}/export?format=csv`} className={buttonClass("secondary", "min-h-9 px-3")} download>
          {t("exportCsv")}
        </a>
        <ConfirmButton
          action={eraseCustomerAction}
          fields={{ customerId, cardId }}
          label={t("erase")}
          title={t("eraseTitle")}
          text={t("eraseText")}
          confirmLabel={t("eraseConfirm")}
        />
      </div>
    </div>
  );
}
