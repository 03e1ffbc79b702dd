// Control characters made visible (`\n`, `\x1b`, `\u2028`): text from alerts stays on one line wherever we write it.

/** C0 (NUL to US, newline and tab included), DEL, C1 (U+0080–U+009F), LINE and PARAGRAPH SEPARATOR. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const visible = (ch: string): string => {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
};

/**
 * Replaces every control character with a visible escape: `\n`, `\r`, `\t`, `\xHH` for the other
 * C0 and C1 characters and DEL, `\u2028`/`\u2029`. Text without any is returned as it is (the same
 * string, no copy). Backslashes are left alone, so ordinary text (Windows paths) is unchanged: a
 * reader cannot tell a literal `\n` from an escaped newline, but can never see a second line.
 */
export const escapeControls = (text: string): string => {
  CONTROLS.lastIndex = 0;
  return CONTROLS.test(text) ? text.replace(CONTROLS, visible) : text;
};
