"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { createLocation, deleteLocation, updateLocation } from "@/lib/locations";
import { locationIdSchema, locationSchema, updateLocationSchema } from "@/lib/validations/locations";

export const createLocationAction = staffAction({ permission: "locations.manage", schema: locationSchema }, async (ctx, input) => {
  await createLocation(getDb(), ctx, input);
  redirect("/locations");
});

export const updateLocationAction = staffAction({ permission: "locations.manage", schema: updateLocationSchema }, async (ctx, { id, ...input }) => {
  await updateLocation(getDb(), ctx, id, input);
  redirect("/locations");
});

export const deleteLocationAction = staffAction({ permission: "locations.manage", schema: locationIdSchema }, async (ctx, { id }) => {
  await deleteLocation(getDb(), ctx, id);
  redirect("/locations");
});
