import "server-only";
import { markSourceKeys } from "@/lib/validations/source-keys";

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|([{}[\],:])|([^\s{}[\],:"]+))/y;

type Frame = { target: unknown; keys: string[] | null; key: string; index: number; expectKey: boolean };

const childOf = (frame: Frame | undefined, root: unknown): unknown => {
  if (!frame) return root;
  const t = frame.target as Record<string | number, unknown> | null;
  if (!t || typeof t !== "object") return undefined;
  return frame.keys ? (Object.hasOwn(t, frame.key) ? t[frame.key] : undefined) : t[frame.index];
};

/**
 * Marks each object of a parsed JSON text whose keys repeat in the text (JSON.parse kept the last) with
 * its keys in the text's order (lib/validations/source-keys), so its schema can refuse the repeat. The
 * text must be what `value` was parsed from. One pass without recursion, so no depth of nesting overflows.
 */
export function markRepeatedJsonKeys(text: string, value: unknown): void {
  const stack: Frame[] = [];
  let pos = 0;
  for (;;) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) return;
    pos = TOKEN.lastIndex;
    const top = stack.at(-1);
    const [, str, punct] = m;
    if (str !== undefined && top?.keys && top.expectKey) {
      top.key = JSON.parse(str) as string;
      top.keys.push(top.key);
      top.expectKey = false;
    } else if (punct === "{" || punct === "[") {
      stack.push({ target: childOf(top, value), keys: punct === "{" ? [] : null, key: "", index: 0, expectKey: punct === "{" });
    } else if (punct === "}" || punct === "]") {
      const done = stack.pop()!;
      const keys = done.keys;
      const target = done.target;
      // Marked only when it is the object the parse kept (a repeated key's earlier value was dropped).
      if (keys && keys.length !== new Set(keys).size && target && typeof target === "object" && Object.keys(target).length === new Set(keys).size)
        markSourceKeys(
          target,
          keys.map((key) => ({ key, path: [key] })),
        );
      if (!stack.length) return;
    } else if (punct === "," && top) {
      if (top.keys) top.expectKey = true;
      else top.index++;
    }
  }
}
