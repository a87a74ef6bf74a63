import type { Permission } from "@/lib/auth/roles";

/** Sidebar sections; only those the role may open are shown. */
export const NAV: { href: string; key: string; permission: Permission; icon: string }[] = [
  { href: "/dashboard", key: "dashboard", permission: "dashboard.view", icon: "M3 12 12 4l9 8M5 10v10h5v-6h4v6h5V10" },
  { href: "/locations", key: "locations", permission: "locations.view", icon: "M12 21s-7-5.5-7-11a7 7 0 1 1 14 0c0 5.5-7 11-7 11Zm0-8.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z" },
  { href: "/activity", key: "activity", permission: "audit.view", icon: "M4 6h16M4 12h16M4 18h10" },
];

export const SETTINGS_NAV: { href: string; key: string; permission: Permission }[] = [
  { href: "/settings/organisation", key: "organisation", permission: "organisation.manage" },
  { href: "/settings/staff", key: "staff", permission: "staff.view" },
  { href: "/settings/password", key: "password", permission: "dashboard.view" },
];
