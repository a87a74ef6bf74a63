"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { saveFile, validateImage } from "@/lib/files";
import { createForm, updateForm } from "@/lib/forms/service";
import { COVER_RULES } from "@/lib/forms/look";
import { createSource, updateSource } from "@/lib/forms/sources";
import { fromZonedInput } from "@/lib/push-events/zone";
import { formEditorSchema, sourceEditorSchema } from "@/lib/validations/forms";

export const saveFormAction = staffAction({ permission: "forms.manage", schema: formEditorSchema, revalidate: ["/forms"] }, async (ctx, input) => {
  const db = getDb();
  let coverFileId: string | null | undefined = input.removeCover ? null : undefined;
  if (input.cover) {
    const { buf, info } = await validateImage("cover", input.cover, COVER_RULES);
    coverFileId = await saveFile(db, ctx.merchantId, buf, info.type);
  }
  const fields = { name: input.name, templateId: input.templateId, active: input.active, definition: input.definition, coverFileId };
  const form = input.id ? await updateForm(db, ctx, input.id, fields) : await createForm(db, ctx, fields);
  redirect(`/forms/${form.id}?saved=1`);
});

export const saveSourceAction = staffAction(
  { permission: "forms.manage", schema: (ctx) => sourceEditorSchema((v) => fromZonedInput(ctx.merchant.timeZone, v)), revalidate: ["/forms"] },
  async (ctx, { id, ...input }) => {
    const source = id ? await updateSource(getDb(), ctx, id, input) : await createSource(getDb(), ctx, input);
    redirect(`/forms/sources/${source.id}?saved=1`);
  },
);
