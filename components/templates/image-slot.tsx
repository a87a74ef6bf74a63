"use client";
/* eslint-disable @next/next/no-img-element -- uploaded images are served by our file route, not through next/image */

import { useTranslations } from "next-intl";
import { useActionState, useId, useState } from "react";
import { uploadTemplateImageAction } from "@/app/(cabinet)/templates/actions";
import { buttonClass } from "@/components/ui/button";
import { SubmitButton, useMessage } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions/result";
import type { TemplateImageSlot } from "@/lib/templates/images";
import { TEMPLATE_IMAGE_RULES } from "@/lib/templates/images";
import { checkFileSize } from "@/lib/files/limits";

type Props = { templateId: string; slot: TemplateImageSlot; fileId: string | null; onChange: (fileId: string | null) => void };

/** Upload or remove one of the template's images; the upload is checked on the server and kept on the next save. */
export function ImageSlot({ templateId, slot, fileId, onChange }: Props) {
  const t = useTranslations("templates.editor");
  const message = useMessage();
  const id = useId();
  const [fileName, setFileName] = useState<string | null>(null);
  const [tooLarge, setTooLarge] = useState<ReturnType<typeof checkFileSize>>(null);
  const rules = TEMPLATE_IMAGE_RULES[slot];
  const [state, action] = useActionState(
    async (_prev: ActionResult<{ fileId: string }> | null, formData: FormData): Promise<ActionResult<{ fileId: string }>> => {
      setFileName(null);
      let result: ActionResult<{ fileId: string }>;
      try {
        result = await uploadTemplateImageAction(null, formData);
      } catch {
        // A failure on the way is told next to the image; an error page would throw away the unsaved design.
        return { ok: false, code: "unexpected", error: "errors.unexpected" };
      }
      if (result.ok && result.data) onChange(result.data.fileId);
      return result;
    },
    null,
  );
  const error = tooLarge?.message ?? (state && !state.ok ? (state.fieldErrors?.file ?? state.error) : undefined);
  const errorParams = tooLarge?.params ?? (state && !state.ok ? state.params : undefined);
  return (
    <div className="rounded-xl border border-slate-200 p-4" data-testid={`image-slot-${slot}`}>
      <div className="flex items-start gap-4">
        <div className="grid size-20 shrink-0 place-items-center overflow-hidden rounded-lg border border-dashed border-slate-300 bg-slate-50">
          {fileId ? (
            <img src={`/api/files/${fileId}`} alt="" className="size-full object-contain" />
          ) : (
            <span className="text-xs text-slate-400">{t("noImage")}</span>
          )}
        </div>
        <div className="min-w-0 flex-1">
          <p className="text-sm font-semibold" id={`${id}-label`}>
            {t(`images.${slot}`)}
          </p>
          <p className="text-xs text-slate-500">
            {t("imageRules", {
              minWidth: rules.minWidth,
              minHeight: rules.minHeight,
              maxWidth: rules.maxWidth,
              maxHeight: rules.maxHeight,
              kb: Math.round(rules.maxBytes / 1024),
            })}
          </p>
          <form action={action} className="mt-2 flex flex-wrap items-center gap-2">
            <input type="hidden" name="id" value={templateId} />
            <input type="hidden" name="slot" value={slot} />
            <input
              id={id}
              type="file"
              name="file"
              accept="image/png"
              aria-labelledby={`${id}-label`}
              className="peer sr-only"
              onChange={(e) => {
                const file = e.target.files?.[0] ?? null;
                // Checked before any upload; the choice is cleared so the form cannot send it.
                const refusal = checkFileSize(file, rules.maxBytes);
                setTooLarge(refusal);
                if (refusal) e.target.value = "";
                setFileName(refusal ? null : (file?.name ?? null));
              }}
            />
            <label htmlFor={id} className={buttonClass("secondary", "min-h-9 cursor-pointer px-3 peer-focus-visible:ring-2 peer-focus-visible:ring-brand-500")}>
              {t("chooseImage")}
            </label>
            <span className="max-w-40 truncate text-xs text-slate-600">{fileName ?? t("noFileChosen")}</span>
            <SubmitButton className="min-h-9 px-3" disabled={!fileName}>
              {t("upload")}
            </SubmitButton>
            {fileId && (
              <button type="button" className="text-sm font-medium text-red-600 hover:text-red-700" onClick={() => onChange(null)}>
                {t("removeImage")}
              </button>
            )}
          </form>
          {error && (
            <p role="alert" className="mt-2 text-sm text-red-600" data-testid={`image-error-${slot}`}>
              {message(error, errorParams)}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
