"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { removeAppleCertificate, saveAppleCertificate } from "@/lib/certificates";
import { AppError, fieldError } from "@/lib/errors";
import { CERTIFICATE_MAX_BYTES, tooLargeMessage } from "@/lib/files/limits";
import { parseAppleCertificate } from "@/lib/passes/apple/certificate-upload";
import { parseServiceAccount, removeGoogleIssuer, saveGoogleIssuer } from "@/lib/wallet/google/account";

const file = z.instanceof(File).optional();

const uploadSchema = z.object({
  format: z.enum(["p12", "pem"]),
  p12: file,
  password: z.string().max(200).optional().default(""),
  certificate: file,
  key: file,
  keyPassword: z.string().max(200).optional().default(""),
  wwdr: file,
});

async function bytes(field: string, value: File | undefined): Promise<Buffer> {
  if (!value || value.size === 0) throw fieldError(field, "validation.fileRequired");
  if (value.size > CERTIFICATE_MAX_BYTES) {
    const { message, params } = tooLargeMessage(CERTIFICATE_MAX_BYTES);
    throw new AppError("validation", message, { [field]: message }, params);
  }
  return Buffer.from(await value.arrayBuffer());
}

export const uploadAppleCertificateAction = staffAction(
  { permission: "organisation.manage", schema: uploadSchema, revalidate: "layout" },
  async (ctx, input) => {
    // Apple's WWDR intermediates ship with the app; an uploaded one is only needed for a newer generation.
    const wwdr = input.wwdr && input.wwdr.size > 0 ? await bytes("wwdr", input.wwdr) : undefined;
    const material =
      input.format === "p12"
        ? await parseAppleCertificate({ format: "p12", p12: await bytes("p12", input.p12), password: input.password, wwdr })
        : await parseAppleCertificate({
            format: "pem",
            certificate: await bytes("certificate", input.certificate),
            key: await bytes("key", input.key),
            keyPassword: input.keyPassword,
            wwdr,
          });
    await saveAppleCertificate(getDb(), ctx, material, { field: input.format === "p12" ? "p12" : "certificate" });
    return { passTypeId: material.passTypeId };
  },
);

export const removeAppleCertificateAction = staffAction({ permission: "organisation.manage", schema: z.object({}), revalidate: "layout" }, async (ctx) => {
  await removeAppleCertificate(getDb(), ctx);
});

const googleSchema = z.object({ serviceAccount: file, issuerId: z.string().max(40).default("") });

export const uploadGoogleAccountAction = staffAction({ permission: "organisation.manage", schema: googleSchema, revalidate: "layout" }, async (ctx, input) => {
  const json = (await bytes("serviceAccount", input.serviceAccount)).toString("utf8");
  await saveGoogleIssuer(getDb(), ctx, parseServiceAccount(json, input.issuerId));
});

export const removeGoogleAccountAction = staffAction({ permission: "organisation.manage", schema: z.object({}), revalidate: "layout" }, async (ctx) => {
  await removeGoogleIssuer(getDb(), ctx);
});
