import clsx from "clsx";
import { useTranslations } from "next-intl";

/**
 * A stamp card's stamps as a row: filled circles for those collected towards the next reward, empty
 * ones up to the goal (rather than a bare number), and the rewards ready to take after it. Works in
 * server and client components alike.
 */
export function StampRow({
  count,
  goal,
  color,
  rewards = 0,
  size = "md",
}: {
  count: number;
  goal: number;
  color: string;
  rewards?: number;
  size?: "sm" | "md";
}) {
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
      data-rewards={rewards}
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
      {rewards > 0 && (
        <span className="ml-1 text-xs font-semibold" data-testid="stamp-rewards">
          {t("rewardsReady", { count: rewards })}
        </span>
      )}
    </div>
  );
}
