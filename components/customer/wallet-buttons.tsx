import { getTranslations } from "next-intl/server";

/** Add to Apple Wallet and Save to Google Wallet for a card's link token; the visitor's own wallet first. */
export async function WalletButtons({ token, android }: { token: string; android: boolean }) {
  const t = await getTranslations("cards.public");
  const apple = (
    <a key="apple" href={`/c/${token}/pass`} className="flex min-h-12 items-center justify-center rounded-xl bg-black px-4 text-sm font-semibold text-white" data-testid="add-apple">
      {t("addApple")}
    </a>
  );
  const google = (
    <a key="google" href={`/c/${token}/google`} className="flex min-h-12 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-semibold text-slate-900" data-testid="add-google">
      {t("addGoogle")}
    </a>
  );
  return <div className="flex flex-col gap-3">{android ? [google, apple] : [apple, google]}</div>;
}

/** Whether the visitor is on Android, from the User-Agent: its wallet button goes first. */
export const isAndroid = (userAgent: string | null) => /Android/i.test(userAgent ?? "");
