/**
 * A keyboard-wedge scanner types key presses, so with the Russian layout active it types ЙЦУКЕН
 * characters for the payload's keys (the reference warns of exactly this). This turns such text back
 * into what the scanner meant: each character of the Russian layout to the character of the same key
 * (and shift) in the US layout. Text with no Cyrillic letter was typed in another layout and is left
 * as it is, so a payload's own `"` or `;` are never touched.
 */
const RU = 'йцукенгшщзхъфывапролджэячсмитьбю.ёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,Ё"№;:?';
const US = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?~@#$^&";
const KEYS = new Map([...RU].map((c, i) => [c, US[i]]));

const CYRILLIC = /[А-яЁё]/;

export function fromRussianLayout(text: string): string {
  if (!CYRILLIC.test(text)) return text;
  let out = "";
  for (const c of text) out += KEYS.get(c) ?? c;
  return out;
}
