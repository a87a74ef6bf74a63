import clsx from "clsx";
import { useTranslations } from "next-intl";

/**
 * A stamp card's stamps as a row: filled circles for those collected, empty ones up to the goal
 * (rather than a bare number). Works in server and client components alike.
 */
export function StampRow({ count, goal, color, size = "md" }: { count: number; goal: number; color: string; size?: "sm" | "md" }) {
  const t = useTranslations("templates.preview");
  const filled = Math.max(0, Math.min(count, goal));
  return (
    <div
      className="flex flex-wrap items-center gap-1.5"
      role="img"
      aria-label={t("stamps", { count, goal })}
      data-testid="stamp-row"
      data-count={count}
      data-goal={goal}
    >
      {Array.from({ length: goal }, (_, i) => (
        <span
          key={i}
          className={clsx("inline-block shrink-0 rounded-full border-2", size === "sm" ? "size-3.5" : "size-5")}
          style={{ borderColor: color, background: i < filled ? color : "transparent" }}
          data-filled={i < filled}
        />
      ))}
      {count > goal && <span className="text-xs font-semibold">+{count - goal}</span>}
    </div>
  );
}
