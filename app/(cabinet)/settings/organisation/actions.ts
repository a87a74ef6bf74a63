"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { validateImage } from "@/lib/files";
import { replaceMerchantLogo, updateOrganisation } from "@/lib/merchants";
import { LOGO_RULES, organisationSchema } from "@/lib/validations/merchants";

export const updateOrganisationAction = staffAction(
  { permission: "organisation.manage", schema: organisationSchema, revalidate: "layout" },
  async (ctx, input) => {
    await updateOrganisation(getDb(), ctx, input);
  },
);

const logoSchema = z.object({
  logo: z.instanceof(File, { error: "validation.fileRequired" }).refine((f) => f.size > 0, { error: "validation.fileRequired" }),
});

export const uploadLogoAction = staffAction({ permission: "organisation.manage", schema: logoSchema, revalidate: "layout" }, async (ctx, { logo }) => {
  const { buf, info } = await validateImage("logo", logo, LOGO_RULES);
  await replaceMerchantLogo(getDb(), ctx, { buf, contentType: info.type });
});

export const removeLogoAction = staffAction({ permission: "organisation.manage", schema: z.object({}), revalidate: "layout" }, async (ctx) => {
  await replaceMerchantLogo(getDb(), ctx, null);
});
