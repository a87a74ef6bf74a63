"use client";

import { useTranslations } from "next-intl";
import { OneTimeSecret } from "@/components/ui/one-time-secret";

/** The one showing of an endpoint's signing secret (at creation and at rotation). */
export function WebhookSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const t = useTranslations("webhooks");
  const texts = {
    title: t("secretTitle"),
    warning: t("secretWarning"),
    label: t("secretLabel"),
    copy: t("copy"),
    copied: t("copied"),
    copyFailed: t("copyFailed"),
    done: t("done"),
  };
  return <OneTimeSecret secret={secret} texts={texts} testId="webhook-secret" onDone={onDone} />;
}
