import { isUuid } from "@/lib/validations/common";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LocationForm } from "@/components/locations/location-form";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { findLocation } from "@/db/queries/locations";
import { requireStaff } from "@/lib/auth/session";
import { deleteLocationAction, updateLocationAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("locations"))("edit") };
}

export default async function EditLocationPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireStaff("locations.manage");
  const { id } = await params;
  const t = await getTranslations("locations");
  const location = isUuid(id) ? await findLocation(getDb(), ctx.merchantId, id) : undefined;
  if (!location) notFound();
  return (
    <div className="max-w-2xl">
      <PageHeader
        title={location.name}
        description={t("edit")}
        actions={
          <ConfirmButton
            action={deleteLocationAction}
            fields={{ id: location.id }}
            label={t("delete")}
            title={t("deleteTitle")}
            text={t("deleteText", { name: location.name })}
            confirmLabel={t("deleteConfirm")}
          />
        }
      />
      <LocationForm action={updateLocationAction} location={location} />
    </div>
  );
}
