"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { customerSignOutAction } from "@/app/(public)/my/actions";
import { SubmitButton } from "@/components/ui/form";

export function SignOutButton({ merchant }: { merchant?: string }) {
  const t = useTranslations("customerAuth");
  const [, action] = useActionState(customerSignOutAction, null);
  return (
    <form action={action}>
      {merchant && <input type="hidden" name="merchant" value={merchant} />}
      <SubmitButton variant="secondary" className="min-h-9 px-3">
        {t("signOut")}
      </SubmitButton>
    </form>
  );
}
