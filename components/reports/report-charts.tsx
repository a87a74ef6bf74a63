"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ReportTable } from "@/lib/reports/tables";

const COLORS = ["#4f46e5", "#10b981", "#f59e0b", "#ef4444", "#64748b", "#06b6d4", "#a855f7"];

/** One report: its title, chart (or the empty state saying what will appear), its table and the CSV export. */
export function ReportSection(props: {
  id: string;
  title: string;
  description?: string;
  empty: boolean;
  csvHref: string;
  table: ReportTable;
  children: ReactNode;
}) {
  const t = useTranslations("reports");
  return (
    <section
      className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
      data-testid={`report-${props.id}`}
      aria-labelledby={`${props.id}-title`}
    >
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={`${props.id}-title`} className="text-base font-semibold text-slate-900">
            {props.title}
          </h2>
          {props.description && <p className="mt-0.5 text-xs text-slate-500">{props.description}</p>}
        </div>
        <a href={props.csvHref} className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline" data-testid={`csv-${props.id}`} download>
          {t("csv")}
        </a>
      </div>
      {props.empty ? (
        <p className="rounded-lg bg-slate-50 px-4 py-8 text-center text-sm text-slate-600" data-testid={`empty-${props.id}`}>
          {t(`empty.${props.id}`)}
        </p>
      ) : (
        <>
          <div className="h-64 w-full" data-testid={`chart-${props.id}`}>
            {props.children}
          </div>
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer text-slate-600">{t("table")}</summary>
            <DataTable table={props.table} />
          </details>
        </>
      )}
    </section>
  );
}

function DataTable({ table }: { table: ReportTable }) {
  const t = useTranslations("reports.columns");
  return (
    <div className="mt-2 max-h-72 overflow-auto">
      <table className="w-full text-left text-xs">
        <thead className="sticky top-0 bg-white">
          <tr>
            {table.columns.map((c) => (
              <th key={c} className="border-b border-slate-200 px-2 py-1 font-medium text-slate-600">
                {t.has(c) ? t(c) : c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i} className="odd:bg-slate-50">
              {r.map((v, j) => (
                <td key={j} className="px-2 py-1 tabular-nums">
                  {v ?? "—"}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DonutChart({ data }: { data: { name: string; value: number }[] }) {
  const shown = data.filter((d) => d.value > 0);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <PieChart>
        <Pie data={shown} dataKey="value" nameKey="name" innerRadius="50%" outerRadius="80%" paddingAngle={1} isAnimationActive={false}>
          {shown.map((d, i) => (
            <Cell key={d.name} fill={COLORS[i % COLORS.length]} />
          ))}
        </Pie>
        <Tooltip />
        <Legend verticalAlign="bottom" height={36} />
      </PieChart>
    </ResponsiveContainer>
  );
}

export function LinesChart({ data, lines, percent }: { data: Record<string, unknown>[]; lines: { key: string; name: string }[]; percent?: boolean }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 5, right: 10, bottom: 5, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="period" tick={{ fontSize: 11 }} minTickGap={16} />
        <YAxis
          tick={{ fontSize: 11 }}
          allowDecimals={percent}
          domain={percent ? [0, 1] : undefined}
          tickFormatter={percent ? (v: number) => `${Math.round(v * 100)}%` : undefined}
        />
        <Tooltip formatter={percent ? (v) => `${Math.round(Number(v) * 1000) / 10}%` : undefined} />
        <Legend />
        {lines.map((l, i) => (
          <Line
            key={l.key}
            type="monotone"
            dataKey={l.key}
            name={l.name}
            stroke={COLORS[i % COLORS.length]}
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/** Bars per period (or per `xKey`); `stacked` stacks them all, a bar's own `stack` stacks it with the bars of that stack only. */
export function BarsChart({
  data,
  bars,
  stacked,
  xKey = "period",
}: {
  data: Record<string, unknown>[];
  bars: { key: string; name: string; stack?: string }[];
  stacked?: boolean;
  xKey?: string;
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 5, right: 10, bottom: 5, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey={xKey} tick={{ fontSize: 11 }} minTickGap={16} />
        <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
        <Tooltip />
        <Legend />
        {bars.map((b, i) => (
          <Bar
            key={b.key}
            dataKey={b.key}
            name={b.name}
            fill={COLORS[i % COLORS.length]}
            stackId={b.stack ?? (stacked ? "s" : undefined)}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
