import { getTranslations } from "next-intl/server";

// Text buttons drawn after each platform's guidelines (no outside artwork): Apple's black badge with a
// hairline border, Google's dark #1F1F1F pill with its #747775 outline; each worded as the platform words it.
const BUTTON = "flex min-h-12 w-full items-center justify-center gap-2 rounded-full px-6 text-[15px] font-medium tracking-tight text-white";

/** Add to Apple Wallet and Add to Google Wallet for a card's link token; the visitor's own wallet first. */
export async function WalletButtons({ token, android }: { token: string; android: boolean }) {
  const t = await getTranslations("cards.public");
  const apple = (
    <a key="apple" href={`/c/${token}/pass`} className={`${BUTTON} bg-black ring-1 ring-[#a6a6a6]`} data-testid="add-apple">
      {t("addApple")}
    </a>
  );
  const google = (
    <a key="google" href={`/c/${token}/google`} className={`${BUTTON} bg-[#1f1f1f] ring-1 ring-[#747775]`} data-testid="add-google">
      {t("addGoogle")}
    </a>
  );
  return <div className="flex flex-col gap-3">{android ? [google, apple] : [apple, google]}</div>;
}

/** Whether the visitor is on Android, from the User-Agent: its wallet button goes first. */
export const isAndroid = (userAgent: string | null) => /Android/i.test(userAgent ?? "");
