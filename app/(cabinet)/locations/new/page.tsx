import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LocationForm } from "@/components/locations/location-form";
import { PageHeader } from "@/components/ui/card";
import { requireStaff } from "@/lib/auth/session";
import { createLocationAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("locations"))("new") };
}

export default async function NewLocationPage() {
  await requireStaff("locations.manage");
  const t = await getTranslations("locations");
  return (
    <div className="max-w-2xl">
      <PageHeader title={t("new")} description={t("formHelp")} />
      <LocationForm action={createLocationAction} />
    </div>
  );
}
