"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { uploadPromotionStripAction } from "@/app/(cabinet)/push-events/actions";
import { ImageSlot } from "@/components/templates/image-slot";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/form";
import type { PromotionDesign } from "@/db/schema";
import type { ActionResult } from "@/lib/actions/result";

type Row = { id: number; key: string; label: string; value: string };

/**
 * The promotion's field overrides, as many rows as the merchant adds (each a field key with the label
 * and value shown instead of the template's), and its strip image, uploaded here by the template
 * designer's own upload. The rows go as `design.fields.<n>.*`, the image as `design.stripFileId`.
 */
export function PromotionDesignFields({ design, state }: { design: PromotionDesign; state: ActionResult | null }) {
  const t = useTranslations("pushEvents");
  const initial = Object.entries(design.fields ?? {}).map(([key, f], i) => ({ id: i, key, label: f.label ?? "", value: f.value ?? "" }));
  const [rows, setRows] = useState<Row[]>(initial.length ? initial : [{ id: 0, key: "", label: "", value: "" }]);
  const [nextId, setNextId] = useState(rows.length);
  const [stripFileId, setStripFileId] = useState<string | null>(design.stripFileId ?? null);
  const add = () => {
    setRows((r) => [...r, { id: nextId, key: "", label: "", value: "" }]);
    setNextId((n) => n + 1);
  };
  return (
    <>
      <div className="flex flex-col gap-3 sm:col-span-3" data-testid="promotion-fields">
        {rows.map((row, n) => (
          <div key={row.id} className="grid items-end gap-3 sm:grid-cols-[1fr_1fr_1fr_auto]" data-testid="promotion-field-row">
            <Field label={t("fieldKey")} name={`design.fields.${n}.key`} hint={n === 0 ? t("fieldKeyHint") : undefined} defaultValue={row.key} state={state} />
            <Field label={t("fieldLabel")} name={`design.fields.${n}.label`} maxLength={60} defaultValue={row.label} state={state} />
            <Field label={t("fieldValue")} name={`design.fields.${n}.value`} maxLength={200} defaultValue={row.value} state={state} />
            <Button
              variant="ghost"
              className="min-h-10"
              aria-label={t("removeField")}
              onClick={() => setRows((r) => (r.length > 1 ? r.filter((x) => x.id !== row.id) : [{ id: nextId, key: "", label: "", value: "" }]))}
            >
              {t("removeField")}
            </Button>
          </div>
        ))}
        <div>
          <Button variant="secondary" onClick={add} data-testid="promotion-add-field">
            {t("addField")}
          </Button>
        </div>
      </div>
      <div className="sm:col-span-3">
        <input type="hidden" name="design.stripFileId" value={stripFileId ?? ""} />
        <ImageSlot slot="strip" fileId={stripFileId} onChange={setStripFileId} upload={uploadPromotionStripAction} embedded />
      </div>
    </>
  );
}
