import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";
import { parseSendError } from "@/lib/messaging/errors";
import type { MessageRow } from "@/lib/messaging/messages";

const TONE = { queued: "gray", sending: "blue", sent: "blue", delivered: "green", failed: "red", in_doubt: "amber" } as const;

/**
 * Where a message is (queued → sent → delivered, or failed, or in doubt) and, when failed or retrying,
 * why. In doubt says in the reader's language what that means, in place of the stored reason.
 */
export async function MessageStatus({ message }: { message: Pick<MessageRow, "status" | "error" | "attempts"> }) {
  const t = await getTranslations("messagesPage");
  const errors = await getTranslations("providers.errors");
  const reason = parseSendError(message.error);
  return (
    <div className="flex min-w-0 flex-col gap-1" data-testid="message-status" data-status={message.status}>
      <span>
        <Badge tone={TONE[message.status]}>{t(`status.${message.status}`)}</Badge>
      </span>
      {message.status === "in_doubt" && <p className="text-xs break-words text-amber-800">{t("inDoubtNote")}</p>}
      {reason && message.status !== "sent" && message.status !== "delivered" && message.status !== "in_doubt" && (
        <p className="text-xs break-words text-red-700">
          {reason.code ? `${errors(reason.code)} ` : ""}
          <span className="text-slate-500">{reason.text}</span>
          {message.status === "queued" && message.attempts > 0 && <span className="text-slate-500"> · {t("retrying", { attempts: message.attempts })}</span>}
        </p>
      )}
    </div>
  );
}
