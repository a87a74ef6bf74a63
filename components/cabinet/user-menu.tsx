import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { signOutAction } from "@/app/(auth)/actions";

/** A <details> menu: works without JavaScript and with the keyboard. */
export async function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  const t = await getTranslations();
  const initials = name
    .split(/\s+/)
    .map((p) => p[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <details className="group relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-lg p-1 hover:bg-slate-100 [&::-webkit-details-marker]:hidden"
        data-testid="user-menu"
      >
        <span className="grid size-8 place-items-center rounded-full bg-brand-600 text-xs font-semibold text-white" aria-hidden>
          {initials}
        </span>
        <span className="hidden text-left text-sm leading-tight md:block">
          <span className="block font-medium text-slate-900">{name}</span>
          <span className="block text-xs text-slate-500">{t(`roles.${role}`)}</span>
        </span>
        <span className="sr-only">{t("nav.userMenu")}</span>
      </summary>
      <div className="absolute right-0 z-40 mt-2 w-60 rounded-xl border border-slate-200 bg-white p-2 shadow-xl">
        <p className="truncate px-3 py-2 text-xs text-slate-500">{email}</p>
        <Link href="/settings/security" className="block rounded-lg px-3 py-2 text-sm text-slate-700 hover:bg-slate-100">
          {t("nav.security")}
        </Link>
        <form action={signOutAction}>
          <button type="submit" className="w-full rounded-lg px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100">
            {t("auth.signOut")}
          </button>
        </form>
      </div>
    </details>
  );
}
