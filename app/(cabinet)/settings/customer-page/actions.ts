"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { setEnrolment } from "@/lib/merchants/enrolment";

const schema = z.object({
  enabled: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  templateId: z.preprocess((v) => (v === "" ? null : v), z.uuid({ error: "customerPage.errors.template" }).nullable()),
});

export const saveEnrolmentAction = staffAction({ permission: "organisation.manage", schema, revalidate: ["/settings/customer-page"] }, async (ctx, input) => {
  await setEnrolment(getDb(), ctx, input);
});
