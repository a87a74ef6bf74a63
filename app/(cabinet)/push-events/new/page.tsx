import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/card";
import { PushEventForm } from "@/components/push-events/push-event-form";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { pushEventFormOptions, pushEventFormValues } from "@/lib/push-events/form-values";
import { pushEventTypeSchema } from "@/lib/validations/push-events";
import { countAudienceAction, estimateSmsAction, createPushEventAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pushEvents"))("newTitle") };
}

export default async function NewPushEventPage({ searchParams }: { searchParams: Promise<{ type?: string }> }) {
  const ctx = await requireStaff("pushEvents.manage");
  const t = await getTranslations("pushEvents");
  const type = pushEventTypeSchema.catch("push").parse((await searchParams).type);
  const options = await pushEventFormOptions(getDb(), ctx.merchantId);
  return (
    <>
      <PageHeader title={t("newTitle")} description={t("newSubtitle")} />
      <PushEventForm
        action={createPushEventAction}
        countAction={countAudienceAction}
        estimateAction={estimateSmsAction}
        values={pushEventFormValues(ctx.merchant.timeZone, null, type)}
        timeZone={ctx.merchant.timeZone}
        {...options}
      />
    </>
  );
}
