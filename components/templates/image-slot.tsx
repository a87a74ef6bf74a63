"use client";
/* eslint-disable @next/next/no-img-element -- uploaded images are served by our file route, not through next/image */

import { useTranslations } from "next-intl";
import { startTransition, useActionState, useId, useRef, useState, type ReactNode } from "react";
import { uploadTemplateImageAction } from "@/app/(cabinet)/templates/actions";
import { Button, buttonClass } from "@/components/ui/button";
import { SubmitButton, useMessage } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions/result";
import type { TemplateImageSlot } from "@/lib/templates/images";
import { TEMPLATE_IMAGE_RULES } from "@/lib/templates/images";
import { checkFileSize } from "@/lib/files/limits";

type Upload = (prev: null, formData: FormData) => Promise<ActionResult<{ fileId: string }>>;
type Props = {
  slot: TemplateImageSlot;
  fileId: string | null;
  onChange: (fileId: string | null) => void;
  /** The template the image is for (the template designer). */
  templateId?: string;
  /** Another action taking the same `slot` and `file` (a promotion's strip image), instead of the template designer's. */
  upload?: Upload;
  /**
   * Inside another form (a promotion's): no form of its own (forms do not nest), the file goes by its
   * button, and the file input has no name so the outer form never carries the image.
   */
  embedded?: boolean;
};

/** Upload or remove one of the template's images; the upload is checked on the server and kept on the next save. */
export function ImageSlot({ templateId, slot, fileId, onChange, upload = uploadTemplateImageAction, embedded = false }: Props) {
  const t = useTranslations("templates.editor");
  const message = useMessage();
  const id = useId();
  const [fileName, setFileName] = useState<string | null>(null);
  const [tooLarge, setTooLarge] = useState<ReturnType<typeof checkFileSize>>(null);
  const rules = TEMPLATE_IMAGE_RULES[slot];
  const fileInput = useRef<HTMLInputElement>(null);
  const [state, action, uploading] = useActionState(
    async (_prev: ActionResult<{ fileId: string }> | null, formData: FormData): Promise<ActionResult<{ fileId: string }>> => {
      setFileName(null);
      let result: ActionResult<{ fileId: string }>;
      try {
        result = await upload(null, formData);
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
          <Controls
            embedded={embedded}
            action={action}
            send={() => {
              const file = fileInput.current?.files?.[0];
              if (!file) return;
              const data = new FormData();
              if (templateId) data.set("id", templateId);
              data.set("slot", slot);
              data.set("file", file);
              startTransition(() => action(data));
            }}
            uploadLabel={t("upload")}
            canSend={!!fileName}
            uploading={uploading}
          >
            {!embedded && templateId && <input type="hidden" name="id" value={templateId} />}
            {!embedded && <input type="hidden" name="slot" value={slot} />}
            <input
              ref={fileInput}
              id={id}
              type="file"
              name={embedded ? undefined : "file"}
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
          </Controls>
          {fileId && (
            <button type="button" className="mt-1 text-sm font-medium text-red-600 hover:text-red-700" onClick={() => onChange(null)}>
              {t("removeImage")}
            </button>
          )}
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

/** The file input and its upload button: a form of their own, or (embedded) a button that sends them. */
function Controls({
  embedded,
  action,
  send,
  uploadLabel,
  canSend,
  uploading,
  children,
}: {
  embedded: boolean;
  action: (formData: FormData) => void;
  send: () => void;
  uploadLabel: string;
  canSend: boolean;
  uploading: boolean;
  children: ReactNode;
}) {
  if (embedded)
    return (
      <div className="mt-2 flex flex-wrap items-center gap-2">
        {children}
        <Button variant="primary" className="min-h-9 px-3" disabled={!canSend || uploading} onClick={send}>
          {uploadLabel}
        </Button>
      </div>
    );
  return (
    <form action={action} className="mt-2 flex flex-wrap items-center gap-2">
      {children}
      <SubmitButton className="min-h-9 px-3" disabled={!canSend}>
        {uploadLabel}
      </SubmitButton>
    </form>
  );
}
