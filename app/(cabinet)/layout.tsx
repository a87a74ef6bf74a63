import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { MobileNav } from "@/components/cabinet/mobile-nav";
import { NAV, SETTINGS_NAV } from "@/components/cabinet/nav";
import { NotificationBell, type BellItem } from "@/components/cabinet/notification-bell";
import { SidebarLinks } from "@/components/cabinet/sidebar";
import { UserMenu } from "@/components/cabinet/user-menu";
import { LocaleSwitch } from "@/components/layout/locale-switch";
import { Logo } from "@/components/layout/logo";
import { getDb } from "@/db";
import type { MerchantNotification } from "@/db/schema";
import { can } from "@/lib/auth/roles";
import { requireStaff } from "@/lib/auth/session";
import { listNotifications } from "@/lib/notifications";

export default async function CabinetLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireStaff();
  const t = await getTranslations();
  const format = await getFormatter();
  const db = getDb();
  const [active, archived] = await Promise.all([listNotifications(db, ctx.merchantId, "active"), listNotifications(db, ctx.merchantId, "archived")]);
  const toItem = (n: MerchantNotification): BellItem => ({
    id: n.id,
    level: n.level,
    text: t.has(`notifications.kinds.${n.kind}`) ? t(`notifications.kinds.${n.kind}`, n.params) : n.kind,
    time: format.relativeTime(n.createdAt),
  });

  const main = NAV.filter((n) => can(ctx.role, n.permission)).map((n) => ({ href: n.href, label: t(`nav.${n.key}`), icon: n.icon }));
  const settings = SETTINGS_NAV.filter((n) => can(ctx.role, n.permission)).map((n) => ({ href: n.href, label: t(`nav.${n.key}`), icon: n.icon }));
  const logo = ctx.merchant.logoFileId ? `/api/files/${ctx.merchant.logoFileId}` : null;

  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[16rem_1fr]">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:m-2 focus:rounded focus:bg-white focus:p-2">
        {t("nav.skip")}
      </a>
      <aside className="hidden border-r border-slate-200 bg-white lg:flex lg:flex-col lg:gap-6 lg:px-4 lg:py-5">
        <Link href="/dashboard" className="px-2">
          <Logo className="text-lg text-slate-900" />
        </Link>
        <SidebarLinks main={main} settings={settings} settingsLabel={t("nav.settings")} />
      </aside>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-20 flex h-16 items-center gap-3 border-b border-slate-200 bg-white/90 px-4 backdrop-blur sm:px-6">
          <MobileNav main={main} settings={settings} settingsLabel={t("nav.settings")} />
          <div className="flex min-w-0 flex-1 items-center gap-3">
            {logo ? (
              // eslint-disable-next-line @next/next/no-img-element -- uploaded logos are served by our own route, no optimiser needed
              <img src={logo} alt="" className="size-8 rounded-md object-contain" />
            ) : null}
            <span className="truncate text-sm font-semibold text-slate-900 sm:text-base" data-testid="merchant-name">
              {ctx.merchant.name}
            </span>
          </div>
          <LocaleSwitch />
          <NotificationBell
            active={active.rows.map(toItem)}
            archived={archived.rows.map(toItem)}
            activeTotal={active.total}
            canManage={can(ctx.role, "notifications.manage")}
          />
          <UserMenu name={ctx.user.name} email={ctx.user.email} role={ctx.role} />
        </header>
        <main id="content" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
