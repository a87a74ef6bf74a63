import { getTranslations } from "next-intl/server";
import { eraseMyDataAction } from "@/app/(public)/my/data-actions";
import { buttonClass } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";

/** At /my: the customer's own data — download it, or erase it everywhere after a confirmation. */
export async function MyDataPanel() {
  const t = await getTranslations("dataRights");
  return (
    <section className="flex flex-col gap-3 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="my-data">
      <h2 className="text-base font-semibold text-slate-900">{t("myTitle")}</h2>
      <p className="text-sm text-slate-600">{t("myText")}</p>
      <div className="flex flex-wrap items-center gap-2">
        <a href="/my/data?format=json" className={buttonClass("secondary", "min-h-9 px-3")} download>
          {t("exportJson")}
        </a>
        <a href="/my/data?format=csv" className={buttonClass("secondary", "min-h-9 px-3")} download>
          {t("exportCsv")}
        </a>
        <ConfirmButton
          action={eraseMyDataAction}
          fields={{}}
          label={t("eraseMine")}
          title={t("eraseMineTitle")}
          text={t("eraseMineText")}
          confirmLabel={t("eraseConfirm")}
        />
      </div>
    </section>
  );
}
