"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { deleteFile, saveFile, validateImage } from "@/lib/files";
import { setMerchantLogo, updateOrganisation } from "@/lib/merchants";
import { LOGO_RULES, organisationSchema } from "@/lib/validations/merchants";

export const updateOrganisationAction = staffAction({ permission: "organisation.manage", schema: organisationSchema, revalidate: "layout" }, async (ctx, input) => {
  await updateOrganisation(getDb(), ctx, input);
});

const logoSchema = z.object({
  logo: z.instanceof(File, { error: "validation.fileRequired" }).refine((f) => f.size > 0, { error: "validation.fileRequired" }),
});

export const uploadLogoAction = staffAction({ permission: "organisation.manage", schema: logoSchema, revalidate: "layout" }, async (ctx, { logo }) => {
  const { buf, info } = await validateImage("logo", logo, LOGO_RULES);
  const db = getDb();
  const previous = ctx.merchant.logoFileId;
  const fileId = await saveFile(db, ctx.merchantId, buf, info.type);
  await setMerchantLogo(db, ctx, fileId);
  if (previous) await deleteFile(db, ctx.merchantId, previous);
});

export const removeLogoAction = staffAction({ permission: "organisation.manage", schema: z.object({}), revalidate: "layout" }, async (ctx) => {
  const db = getDb();
  const previous = ctx.merchant.logoFileId;
  await setMerchantLogo(db, ctx, null);
  if (previous) await deleteFile(db, ctx.merchantId, previous);
});
