import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";
import { parseSendError } from "@/lib/messaging/errors";
import type { MessageRow } from "@/lib/messaging/messages";

const TONE = { queued: "gray", sending: "blue", sent: "blue", delivered: "green", failed: "red" } as const;

/** Where a message is (queued → sent → delivered, or failed) and, when failed or retrying, why. */
export async function MessageStatus({ message }: { message: Pick<MessageRow, "status" | "error" | "attempts"> }) {
  const t = await getTranslations("messagesPage");
  const errors = await getTranslations("providers.errors");
  const reason = parseSendError(message.error);
  return (
    <div className="flex min-w-0 flex-col gap-1" data-testid="message-status" data-status={message.status}>
      <span>
        <Badge tone={TONE[message.status]}>{t(`status.${message.status}`)}</Badge>
      </span>
      {reason && message.status !== "sent" && message.status !== "delivered" && (
        <p className="text-xs break-words text-red-700">
          {reason.code ? `${errors(reason.code)} ` : ""}
          <span className="text-slate-500">{reason.text}</span>
          {message.status === "queued" && message.attempts > 0 && <span className="text-slate-500"> · {t("retrying", { attempts: message.attempts })}</span>}
        </p>
      )}
    </div>
  );
}
