import type { Permission } from "@/lib/auth/roles";

/** Sidebar sections; only those the role may open are shown. */
export const NAV: { href: string; key: string; permission: Permission; icon: string }[] = [
  { href: "/dashboard", key: "dashboard", permission: "dashboard.view", icon: "M3 12 12 4l9 8M5 10v10h5v-6h4v6h5V10" },
  { href: "/till", key: "till", permission: "till.use", icon: "M4 4h16v6H4V4Zm2 10h12l1 6H5l1-6Zm3-7h6M9 17h.01M12 17h.01M15 17h.01" },
  { href: "/cards", key: "cards", permission: "cards.view", icon: "M3 7a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7Zm0 3h18M7 15h3" },
  {
    href: "/gift-certificates",
    key: "giftCertificates",
    permission: "giftCertificates.view",
    icon: "M4 9h16v11H4V9Zm-1-4h18v4H3V5Zm9 0v15M12 5c-1.5-3-5-3-5-.5S10.5 5 12 5Zm0 0c1.5-3 5-3 5-.5S13.5 5 12 5Z",
  },
  {
    href: "/templates",
    key: "templates",
    permission: "templates.view",
    icon: "M4 6a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6Zm0 4h16M8 15h4",
  },
  {
    href: "/locations",
    key: "locations",
    permission: "locations.view",
    icon: "M12 21s-7-5.5-7-11a7 7 0 1 1 14 0c0 5.5-7 11-7 11Zm0-8.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z",
  },
  {
    href: "/forms",
    key: "forms",
    permission: "forms.view",
    icon: "M7 3h10a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm2 5h6M9 12h6M9 16h3",
  },
  { href: "/push-events", key: "pushEvents", permission: "pushEvents.view", icon: "M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9Zm4.3 13a1.94 1.94 0 0 0 3.4 0" },
  { href: "/reports", key: "reports", permission: "reports.view", icon: "M4 20V10m6 10V4m6 16v-7m4 7H2" },
  { href: "/messages", key: "messages", permission: "messages.view", icon: "M4 6h16v10H8l-4 4V6Zm4 4h8M8 13h5" },
  { href: "/finance", key: "finance", permission: "finance.view", icon: "M3 6h18v12H3V6Zm0 4h18M7 15h4" },
  { href: "/activity", key: "activity", permission: "audit.view", icon: "M4 6h16M4 12h16M4 18h10" },
];

export const SETTINGS_NAV: { href: string; key: string; permission: Permission; icon: string }[] = [
  {
    href: "/settings/organisation",
    key: "organisation",
    permission: "organisation.manage",
    icon: "M4 21V5l8-2v18M12 8h8v13M8 9h.01M8 13h.01M8 17h.01M16 12h.01M16 16h.01M2 21h20",
  },
  { href: "/settings/customer-page", key: "customerPage", permission: "organisation.manage", icon: "M3 9.5 12 4l9 5.5M5 10v9h14v-9M9 19v-5h6v5" },
  {
    href: "/settings/certificates",
    key: "certificates",
    permission: "organisation.manage",
    icon: "M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6l8-3Zm-3 9 2 2 4-4",
  },
  {
    href: "/settings/sms",
    key: "smsService",
    permission: "messaging.manage",
    icon: "M8 3h8a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm3 15h2M9 8h6M9 11h4",
  },
  { href: "/settings/email", key: "emailService", permission: "messaging.manage", icon: "M3 6h18v12H3V6Zm0 0 9 7 9-7" },
  {
    href: "/settings/api-keys",
    key: "apiKeys",
    permission: "apiKeys.manage",
    icon: "M15 7a4 4 0 1 1-3.9 4.9L3 20v-3l1-1h2v-2h2l1.1-1.1A4 4 0 0 1 15 7Zm1.5 1.5h.01",
  },
  { href: "/settings/tills", key: "tills", permission: "tills.manage", icon: "M4 4h16v6H4V4Zm2 10h12l1 6H5l1-6Zm3-7h6" },
  { href: "/settings/api", key: "apiReference", permission: "apiKeys.manage", icon: "M8 7 3 12l5 5M16 7l5 5-5 5M14 4l-4 16" },
  {
    href: "/settings/webhooks",
    key: "webhooks",
    permission: "webhooks.manage",
    icon: "M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2M6 17l3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06M12 6l3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8",
  },
  {
    href: "/settings/staff",
    key: "staff",
    permission: "staff.view",
    icon: "M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7ZM21 19v-1a4 4 0 0 0-3-3.9M16 3.1a3.5 3.5 0 0 1 0 6.8",
  },
  { href: "/settings/security", key: "security", permission: "dashboard.view", icon: "M6 11h12v10H6zM8 11V7a4 4 0 1 1 8 0v4" },
  { href: "/settings/sessions", key: "sessions", permission: "dashboard.view", icon: "M3 5h18v11H3V5Zm5 15h8m-4-4v4" },
  {
    href: "/settings/support",
    key: "support",
    permission: "dashboard.view",
    icon: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Zm-2.5-11.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5V14m0 3h.01",
  },
];
