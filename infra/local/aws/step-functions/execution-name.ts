/** Characters AWS refuses in execution names, besides whitespace and control characters. */
const FORBIDDEN = new Set('<>{}[]?*"#%\\^|~`$&,;:/');
const MAX_LENGTH = 80;

/** Whether AWS accepts `name` as an execution name (1–80 characters, none of the reserved ones). */
export function isValidExecutionName(name: string): boolean {
  const characters = [...name];
  return (
    characters.length >= 1 &&
    characters.length <= MAX_LENGTH &&
    characters.every(
      (character) => !FORBIDDEN.has(character) && !/\s/.test(character) && !isControl(character),
    )
  );
}

function isControl(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}
