"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef } from "react";
import { Button } from "./button";

const GUARD_STATE = "leaveGuard";

/**
 * While `when` is true (unsaved changes), leaving the page asks first: closing or reloading the tab
 * gets the browser's own prompt (beforeunload); a click on any link inside the app (sidebar, header)
 * and the Back button get this dialog. Back is caught with one extra history entry pushed while the
 * form is dirty: pressing Back lands on the page's own entry, the entry is put back and the dialog
 * asks; "Leave" then goes back past both.
 */
export function LeaveGuard({ when }: { when: boolean }) {
  const t = useTranslations("common.leaveGuard");
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onLeave = useRef<(() => void) | null>(null);
  const leaving = useRef(false);
  const guarded = useRef(false);

  const ask = (leave: () => void) => {
    onLeave.current = leave;
    if (!dialog.current?.open) dialog.current?.showModal();
  };

  useEffect(() => {
    if (!when) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (leaving.current) return;
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = "";
    };
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const link = e.target instanceof Element ? e.target.closest("a[href]") : null;
      if (!(link instanceof HTMLAnchorElement) || (link.target && link.target !== "_self") || link.hasAttribute("download")) return;
      const url = new URL(link.href, window.location.href);
      // Another site unloads the page: beforeunload asks. A link to this very page (an anchor) leaves nothing.
      if (url.origin !== window.location.origin) return;
      if (url.pathname === window.location.pathname && url.search === window.location.search) return;
      // Caught before the link's own handler (Next's <Link> navigates in it) and before the browser follows it.
      e.preventDefault();
      e.stopPropagation();
      ask(() => {
        leaving.current = true;
        router.push(`${url.pathname}${url.search}${url.hash}`);
      });
    };
    const onPopState = () => {
      if (leaving.current) return;
      window.history.pushState({ [GUARD_STATE]: true }, "");
      ask(() => {
        leaving.current = true;
        window.history.go(-2);
      });
    };
    if (!guarded.current) {
      guarded.current = true;
      window.history.pushState({ [GUARD_STATE]: true }, "");
    }
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    window.addEventListener("popstate", onPopState);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
      window.removeEventListener("popstate", onPopState);
    };
  }, [when, router]);

  // Saved or discarded: the extra entry goes, so Back does not seem to do nothing once.
  useEffect(() => {
    if (when || !guarded.current) return;
    guarded.current = false;
    if ((window.history.state as Record<string, unknown> | null)?.[GUARD_STATE]) window.history.back();
  }, [when]);

  return (
    <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-0 shadow-xl" data-testid="leave-dialog">
      <div className="flex flex-col gap-4 p-6">
        <h2 id={titleId} className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="text-sm text-slate-600">{t("text")}</p>
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
            {t("stay")}
          </Button>
          <Button
            variant="danger"
            onClick={() => {
              dialog.current?.close();
              onLeave.current?.();
            }}
          >
            {t("leave")}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
