import { redirect } from "next/navigation";

/** The password form lives on Settings → Security now; old links and bookmarks land there. */
export default function PasswordPage() {
  redirect("/settings/security");
}
