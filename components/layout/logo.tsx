export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden>
        <rect x="3" y="7" width="26" height="18" rx="4" fill="#4f46e5" />
        <rect x="3" y="11" width="26" height="3" fill="#c7d2fe" />
        <rect x="7" y="18" width="9" height="3" rx="1.5" fill="#e0e7ff" />
      </svg>
      CardDesk
    </span>
  );
}
