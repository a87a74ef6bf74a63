"use client";

import { useTranslations } from "next-intl";
import { deleteCardAction, transitionCardAction } from "@/app/(cabinet)/cards/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";

type BlockReason = "lost" | "deactivated" | null;

/** Block on loss / unblock, deactivate / activate and delete, each confirmed in a dialog first. */
export function CardStateActions({ id, number, blockReason }: { id: string; number: string; blockReason: BlockReason }) {
  const t = useTranslations("cards.page");
  const op = (name: "block" | "unblock" | "deactivate" | "activate", variant: "danger" | "secondary") => (
    <ConfirmButton
      action={transitionCardAction}
      fields={{ id, op: name }}
      label={t(`ops.${name}.label`)}
      title={t(`ops.${name}.title`, { number })}
      text={t(`ops.${name}.text`)}
      confirmLabel={t(`ops.${name}.confirm`)}
      variant={variant}
    />
  );
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap gap-2">
        {blockReason === null && op("block", "danger")}
        {blockReason === "lost" && op("unblock", "secondary")}
        {blockReason !== "deactivated" && op("deactivate", "secondary")}
        {blockReason === "deactivated" && op("activate", "secondary")}
      </div>
      <div className="border-t border-slate-100 pt-4">
        <ConfirmButton
          action={deleteCardAction}
          fields={{ id }}
          label={t("ops.delete.label")}
          title={t("ops.delete.title", { number })}
          text={t("ops.delete.text")}
          confirmLabel={t("ops.delete.confirm")}
        />
      </div>
    </div>
  );
}
