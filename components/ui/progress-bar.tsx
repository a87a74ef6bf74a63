/** A labelled progress bar (role progressbar), for long work the worker does. */
export function ProgressBar({ done, total, label, caption }: { done: number; total: number; label: string; caption: string }) {
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : 100;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center justify-between text-sm">
        <span>{caption}</span>
        <span className="font-medium">{percent}%</span>
      </div>
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label={label}
        className="h-3 overflow-hidden rounded-full bg-slate-100"
      >
        <div className="h-full rounded-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
