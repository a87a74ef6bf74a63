"use client";

import { useTranslations } from "next-intl";
import { useRef, useState, type ReactNode } from "react";

/**
 * On screens too narrow for the preview beside the form, a button that stays at the bottom corner
 * opens the live preview over the form (a sheet, Esc or the close button returns), instead of leaving
 * it under the whole form where nobody scrolls.
 */
export function PhonePreview({ children }: { children: ReactNode }) {
  const t = useTranslations("templates.editor");
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
        className="fixed right-4 bottom-4 z-30 inline-flex min-h-11 items-center gap-2 rounded-full bg-slate-900 px-4 text-sm font-medium text-white shadow-lg hover:bg-slate-800"
        data-testid="show-preview"
      >
        <svg
          viewBox="0 0 24 24"
          className="size-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
          strokeLinejoin="round"
          aria-hidden
        >
          <path d="M2.5 12s3.5-6.5 9.5-6.5 9.5 6.5 9.5 6.5-3.5 6.5-9.5 6.5S2.5 12 2.5 12Z M12 14.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z" />
        </svg>
        {t("showPreview")}
      </button>
      <dialog
        ref={dialog}
        aria-label={t("preview")}
        onClose={() => setOpen(false)}
        className="mx-auto mt-auto mb-0 max-h-[90dvh] w-full max-w-md rounded-t-2xl p-0 shadow-xl backdrop:bg-slate-900/40 sm:my-auto sm:rounded-2xl"
        data-testid="preview-sheet"
      >
        <div className="sticky top-0 z-10 flex items-center justify-between border-b border-slate-100 bg-white px-4 py-2">
          <h2 className="text-sm font-semibold">{t("preview")}</h2>
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            className="min-h-10 rounded-lg px-3 text-sm font-medium text-brand-700 hover:bg-slate-100"
          >
            {t("closePreview")}
          </button>
        </div>
        <div className="p-4">{open && children}</div>
      </dialog>
    </>
  );
}
