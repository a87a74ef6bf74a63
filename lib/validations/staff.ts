import { z } from "zod";
import { email, password, requiredText } from "./common";

const role = z.enum(["owner", "admin", "manager", "cashier"], { error: "validation.role" });

export const addStaffSchema = z.object({
  name: requiredText(120),
  email: email(),
  role,
  password: password(),
});

export const changeRoleSchema = z.object({ id: z.uuid({ error: "errors.notFound" }), role });
export const setActiveSchema = z.object({ id: z.uuid({ error: "errors.notFound" }), active: z.enum(["true", "false"]).transform((v) => v === "true") });

export const setSkipConfirmationSchema = z.object({
  id: z.uuid({ error: "errors.notFound" }),
  allowed: z.enum(["true", "false"]).transform((v) => v === "true"),
});

export type AddStaffInput = z.infer<typeof addStaffSchema>;
