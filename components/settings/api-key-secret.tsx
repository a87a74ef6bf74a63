"use client";

import { useTranslations } from "next-intl";
import { OneTimeSecret } from "@/components/ui/one-time-secret";

/** The one showing of a new API key. */
export function ApiKeySecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const t = useTranslations("apiKeys");
  const texts = {
    title: t("createdTitle", { name }),
    warning: t("createdWarning"),
    label: t("keyLabel"),
    copy: t("copy"),
    copied: t("copied"),
    copyFailed: t("copyFailed"),
    done: t("done"),
  };
  return <OneTimeSecret secret={secret} texts={texts} testId="api-key-secret" onDone={onDone} />;
}
