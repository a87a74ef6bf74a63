"use server";

import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { saveFile, validateImage } from "@/lib/files";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { logger } from "@/lib/logger";
import { createTemplate, duplicateTemplate, getTemplateOrThrow, restoreTemplateVersion, saveTemplateVersion, setTemplateArchived } from "@/lib/templates";
import { TEMPLATE_IMAGE_RULES } from "@/lib/templates/images";
import {
  archiveTemplateSchema,
  createTemplateSchema,
  restoreVersionSchema,
  saveTemplateSchema,
  templateIdSchema,
  uploadTemplateImageSchema,
} from "@/lib/validations/templates";

export const createTemplateAction = staffAction({ permission: "templates.manage", schema: createTemplateSchema }, async (ctx, input) => {
  const template = await createTemplate(getDb(), ctx, input);
  redirect(`/templates/${template.id}`);
});

export const duplicateTemplateAction = staffAction(
  { permission: "templates.manage", schema: templateIdSchema, revalidate: ["/templates"] },
  async (ctx, { id }) => {
    const t = await getTranslations("templates");
    const { template } = await getTemplateOrThrow(getDb(), ctx.merchantId, id);
    const copy = await duplicateTemplate(getDb(), ctx, id, t("copyName", { name: template.name }).slice(0, 80));
    redirect(`/templates/${copy.id}`);
  },
);

export const archiveTemplateAction = staffAction(
  { permission: "templates.manage", schema: archiveTemplateSchema, revalidate: ["/templates"] },
  async (ctx, { id, archived }) => {
    await setTemplateArchived(getDb(), ctx, id, archived);
  },
);

/** Google's copy of the class follows each saved version; a failed hand-off is logged, the save stands. */
async function queueGoogleSync(merchantId: string, templateId: string) {
  await enqueue(QUEUES.googleClassSync, { merchantId, templateId }).catch((err) =>
    logger.warn("google class sync not queued", { templateId, error: String(err) }),
  );
}

export const saveTemplateAction = staffAction(
  { permission: "templates.manage", schema: saveTemplateSchema },
  async (ctx, { id, name, definition, baseVersion }) => {
    const { version } = await saveTemplateVersion(getDb(), ctx, id, { name, definition, baseVersion });
    await queueGoogleSync(ctx.merchantId, id);
    redirect(`/templates/${id}?saved=${version}`);
  },
);

export const restoreTemplateVersionAction = staffAction({ permission: "templates.manage", schema: restoreVersionSchema }, async (ctx, { id, version }) => {
  const saved = await restoreTemplateVersion(getDb(), ctx, id, version);
  await queueGoogleSync(ctx.merchantId, id);
  redirect(`/templates/${id}?saved=${saved.version}&restored=${version}`);
});

/** Stores an image for the editor; it becomes part of the template when the editor saves. */
export const uploadTemplateImageAction = staffAction({ permission: "templates.manage", schema: uploadTemplateImageSchema }, async (ctx, { id, slot, file }) => {
  await getTemplateOrThrow(getDb(), ctx.merchantId, id);
  const { buf, info } = await validateImage("file", file, TEMPLATE_IMAGE_RULES[slot]);
  const fileId = await saveFile(getDb(), ctx.merchantId, buf, info.type);
  return { slot, fileId };
});
