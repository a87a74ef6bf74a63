"use client";

import { useEffect, useMemo, useState } from "react";
import type { TemplateDefinition } from "@/lib/templates/definition";

type Draft = { baseVersion: number; name: string; definition: TemplateDefinition };

const keyFor = (templateId: string) => `carddesk:template-draft:${templateId}`;

function readDraft(templateId: string, baseVersion: number): Draft | null {
  try {
    const raw = window.sessionStorage.getItem(keyFor(templateId));
    if (!raw) return null;
    const draft = JSON.parse(raw) as Partial<Draft>;
    // A draft made on an older version would silently undo what was saved since: it is dropped.
    if (draft.baseVersion === baseVersion && typeof draft.name === "string" && draft.definition && typeof draft.definition === "object") return draft as Draft;
    window.sessionStorage.removeItem(keyFor(templateId));
  } catch {
    // Storage off (private mode) or a damaged entry: there is simply no draft.
  }
  return null;
}

function writeDraft(templateId: string, draft: Draft | null) {
  try {
    if (draft) window.sessionStorage.setItem(keyFor(templateId), JSON.stringify(draft));
    else window.sessionStorage.removeItem(keyFor(templateId));
  } catch {
    // Full or off: the leave warning still protects the changes.
  }
}

/**
 * The designer's unsaved name and definition, kept in this tab's sessionStorage while they differ
 * from the saved version, so leaving (or a reload) loses nothing: uploaded images are file ids in the
 * definition, so they come back with it. The draft is restored on the next visit to the same version
 * and forgotten once saved (the version moves on) or discarded.
 */
export function useTemplateDraft(opts: { templateId: string; baseVersion: number; name: string; definition: TemplateDefinition; enabled: boolean }) {
  const { templateId, baseVersion, enabled } = opts;
  const [name, setName] = useState(opts.name);
  const [definition, setDefinition] = useState(opts.definition);
  const [restored, setRestored] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const saved = useMemo(() => JSON.stringify(opts.definition), [opts.definition]);

  useEffect(() => {
    if (!enabled) return;
    const draft = readDraft(templateId, baseVersion);
    // Read after mounting: sessionStorage does not exist on the server, and the first render must match it.
    /* eslint-disable react-hooks/set-state-in-effect -- restoring from browser storage once, after hydration */
    if (draft) {
      setName(draft.name);
      setDefinition(draft.definition);
      setRestored(true);
    }
    setLoaded(true);
    /* eslint-enable react-hooks/set-state-in-effect */
  }, [enabled, templateId, baseVersion]);

  const current = useMemo(() => JSON.stringify(definition), [definition]);
  const dirty = enabled && (name !== opts.name || current !== saved);

  useEffect(() => {
    if (!loaded) return;
    writeDraft(templateId, dirty ? { baseVersion, name, definition } : null);
  }, [loaded, dirty, templateId, baseVersion, name, definition]);

  const discard = () => {
    setName(opts.name);
    setDefinition(opts.definition);
    setRestored(false);
  };

  return { name, setName, definition, setDefinition, dirty, restored, discard };
}
