import { LocaleSwitch } from "@/components/layout/locale-switch";

/** Pages customers open from a link: no cabinet chrome, phone first. */
export default function PublicLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col bg-slate-50">
      <header className="flex justify-end px-4 py-3">
        <LocaleSwitch />
      </header>
      <main className="mx-auto w-full max-w-md flex-1 px-4 pb-10">{children}</main>
    </div>
  );
}
