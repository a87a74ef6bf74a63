import type { StaffRole } from "@/db/schema";

export const ROLES: StaffRole[] = ["owner", "admin", "manager", "cashier"];

/** What each role may do. Every page, action and route checks one of these through the guard. */
const PERMISSIONS = {
  "dashboard.view": ["owner", "admin", "manager", "cashier"],
  "notifications.manage": ["owner", "admin", "manager"],
  "locations.view": ["owner", "admin", "manager", "cashier"],
  "locations.manage": ["owner", "admin", "manager"],
  "templates.view": ["owner", "admin", "manager"],
  "cards.view": ["owner", "admin", "manager", "cashier"],
  "cards.issue": ["owner", "admin", "manager", "cashier"],
  "cards.manage": ["owner", "admin", "manager"],
  /** Accrue and redeem points on a card (the till's work). */
  "points.post": ["owner", "admin", "manager", "cashier"],
  /** Adjust a balance with a reason, and reverse transactions. */
  "points.manage": ["owner", "admin", "manager"],
  "apiKeys.manage": ["owner", "admin"],
  /** Settings → Tills: tills with their keys, guard rails, card stock. */
  "tills.manage": ["owner", "admin"],
  /** The cashier screen (/till). */
  "till.use": ["owner", "admin", "manager", "cashier"],
  "webhooks.manage": ["owner", "admin"],
  "messaging.manage": ["owner", "admin"],
  "messages.view": ["owner", "admin", "manager"],
  "templates.manage": ["owner", "admin", "manager"],
  "organisation.manage": ["owner", "admin"],
  "staff.view": ["owner", "admin"],
  "staff.manage": ["owner"],
  "audit.view": ["owner", "admin"],
  "reports.view": ["owner", "admin", "manager"],
  /** Gift certificates: definitions, code pools, phone lists (lib/gift-certificates). */
  "giftCertificates.view": ["owner", "admin", "manager", "cashier"],
  "giftCertificates.manage": ["owner", "admin", "manager"],
  "pushEvents.view": ["owner", "admin", "manager"],
  "pushEvents.manage": ["owner", "admin", "manager"],
  "finance.view": ["owner", "admin"],
  /** Registration forms, registration groups and companies (lib/forms). */
  "forms.view": ["owner", "admin", "manager"],
  "forms.manage": ["owner", "admin", "manager"],
  /** Export or erase a customer's data (152-FZ, GDPR). */
  "customers.dataRights": ["owner", "admin"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: StaffRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly StaffRole[]).includes(role);
}

/**
 * "May complete a spending at the till without the customer's code" (with a reason): a switch an
 * owner sets per staff member (users.maySkipConfirmation); unset, it follows the role (owners yes).
 * API keys have their own: the `pos:skip_confirmation` scope.
 */
export function maySkipConfirmation(user: { role: StaffRole; maySkipConfirmation: boolean | null }): boolean {
  return user.maySkipConfirmation ?? user.role === "owner";
}
